package io.erpsync.ops;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which web pages may call Jolokia: a request whose Origin (or, without one, Referer) names another
 * site is refused, whatever it asks. Browsers send an Origin with every cross-site POST, so another
 * site cannot leave it out to act; a request without either header is not a cross-site browser
 * request (the Jolokia client, curl, Hawtio's proxy when the browser sent none). Jolokia's own
 * {@code <cors><strict-checking/>} refuses those too, which would lock out every such client.
 */
public final class AllowedOrigins {
    private final List<Pattern> patterns;

    private AllowedOrigins(List<Pattern> patterns) {
        this.patterns = patterns;
    }

    /** Comma-separated origins as {@code scheme://host:port}, {@code *} matching anything: {@code http://localhost:*}. */
    public static AllowedOrigins parse(String origins) {
        return new AllowedOrigins(Arrays.stream(origins == null ? new String[0] : origins.split(","))
                .map(String::trim).filter(o -> !o.isEmpty())
                .map(o -> Pattern.compile("\\Q" + o.toLowerCase(Locale.ROOT).replace("*", "\\E.*\\Q") + "\\E"))
                .toList());
    }

    /** Whether a request carrying these headers (either may be null) may go on. */
    public boolean allows(String origin, String referer) {
        String site = origin != null ? origin : referer == null ? null : originOf(referer);
        if (site == null) {
            return origin == null && referer == null;
        }
        String s = site.trim().toLowerCase(Locale.ROOT);
        return patterns.stream().anyMatch(p -> p.matcher(s).matches());
    }

    /** The scheme://host[:port] of a Referer URL; null when it is not one (then it is refused). */
    static String originOf(String url) {
        try {
            URI u = new URI(url.trim());
            if (u.getScheme() == null || u.getHost() == null) {
                return null;
            }
            return u.getScheme() + "://" + u.getHost() + (u.getPort() == -1 ? "" : ":" + u.getPort());
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
