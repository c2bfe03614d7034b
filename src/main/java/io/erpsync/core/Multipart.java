package io.erpsync.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A multipart/mixed body (RFC 2046 5.1) of text parts, each with its headers and body: the
 * storefront's batch format (docs/commerce-contract.md section 4), read and written by both the
 * storefront target and its sandbox. Header names are kept lower case (HTTP headers ignore case).
 */
public record Multipart(String boundary, List<Multipart.Part> parts) {
    private static final String CRLF = "\r\n";
    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?", Pattern.CASE_INSENSITIVE);

    public record Part(Map<String, String> headers, String body) {

        public Part {
            Map<String, String> lower = new LinkedHashMap<>();
            headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
            headers = lower;
            body = body == null ? "" : body;
        }

        /** A header by name in any case; null when absent. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    public static Multipart of(List<Part> parts) {
        return new Multipart("dw-" + UUID.randomUUID(), List.copyOf(parts));
    }

    public String contentType() {
        return "multipart/mixed; boundary=" + boundary;
    }

    public String text() {
        StringBuilder out = new StringBuilder();
        for (Part p : parts) {
            out.append("--").append(boundary).append(CRLF);
            p.headers().forEach((k, v) -> out.append(k).append(": ").append(v).append(CRLF));
            out.append(CRLF).append(p.body()).append(CRLF);
        }
        return out.append("--").append(boundary).append("--").append(CRLF).toString();
    }

    /** The boundary a Content-Type names; null when it names none. */
    public static String boundaryOf(String contentType) {
        if (contentType == null) {
            return null;
        }
        Matcher m = BOUNDARY.matcher(contentType);
        return m.find() ? m.group(1).trim() : null;
    }

    /**
     * Reads a body with this Content-Type (or, when a transport lost the header, the boundary its
     * first delimiter line names). Throws IllegalArgumentException, saying why, when there is no
     * boundary or the body holds no closing delimiter.
     */
    public static Multipart read(String contentType, String body) {
        String boundary = boundaryOf(contentType);
        if (boundary == null && body != null && body.startsWith("--")) {
            int eol = body.indexOf('\n');
            boundary = eol < 0 ? null : body.substring(2, eol).trim();
        }
        if (boundary == null || boundary.isEmpty()) {
            throw new IllegalArgumentException("not multipart with a boundary: " + contentType);
        }
        String text = body == null ? "" : body.replace(CRLF, "\n");
        String delimiter = "--" + boundary;
        int close = text.indexOf(delimiter + "--");
        if (close < 0) {
            throw new IllegalArgumentException("no closing delimiter " + delimiter + "--");
        }
        List<Part> parts = new ArrayList<>();
        String[] chunks = text.substring(0, close).split(Pattern.quote(delimiter), -1);
        // chunks[0] is the preamble, ignored as RFC 2046 says
        for (int i = 1; i < chunks.length; i++) {
            parts.add(part(chunks[i]));
        }
        return new Multipart(boundary, parts);
    }

    private static Part part(String chunk) {
        String c = chunk.startsWith("\n") ? chunk.substring(1) : chunk;
        if (c.endsWith("\n")) {
            c = c.substring(0, c.length() - 1);
        }
        int split = c.indexOf("\n\n");
        String head = split < 0 ? c : c.substring(0, split);
        String body = split < 0 ? "" : c.substring(split + 2);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : head.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        }
        return new Part(headers, body);
    }
}
