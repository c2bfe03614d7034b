package io.erpsync.target.fusion;

import io.erpsync.target.TargetAnswer;
import io.erpsync.target.TargetCalls;
import io.erpsync.target.TargetRequest;
import io.erpsync.target.UnreadableAnswer;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.Headers;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.http.base.HttpOperationFailedException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Puts a {@link TargetRequest} for the ERP on the wire for camel-http and reads the answer back, in
 * routes/erp-call.camel.yaml. camel-http takes the method, path, query and HTTP headers from the
 * message headers.
 */
public final class ErpHttp {
    /** Property: the request being sent, kept aside for a redelivery (which comes back with the wire body). */
    static final String REQUEST = "erpRequest";

    private final ErpCredentials credentials;
    private final long maxAnswerBytes;

    /** @param maxAnswerBytes the largest answer read (erp.max-answer-size); a larger one is unreadable, never a heap full of it */
    public ErpHttp(ErpCredentials credentials, long maxAnswerBytes) {
        this.credentials = credentials;
        this.maxAnswerBytes = maxAnswerBytes;
    }

    /**
     * Headers and body for camel-http; only ours go out, as camel-http sends message headers as HTTP
     * headers. It takes the exchange: on a redelivery the body is the wire body of the failed attempt,
     * so the request is kept aside in a property, which a typed parameter could not set.
     */
    public void prepare(Exchange ex) throws InvalidPayloadException {
        TargetRequest r = TargetCalls.keepAside(ex, REQUEST);
        Message m = ex.getMessage();
        m.setHeader(Exchange.HTTP_METHOD, r.httpMethod());
        m.setHeader(Exchange.HTTP_PATH, r.path());
        if (r.query() != null) {
            m.setHeader(Exchange.HTTP_QUERY, r.query());
        }
        m.setHeader("Authorization", credentials.authorizationHeader());
        m.setHeader("REST-Framework-Version", "2");
        m.setHeader("Accept", "application/json");
        if (r.contentType() != null) {
            m.setHeader(Exchange.CONTENT_TYPE, r.contentType());
        }
        r.headers().forEach(m::setHeader);
        m.setBody(r.body());
    }

    /**
     * The answer, or the failure the retry policy works on. A batch answers 400 with the failed parts
     * listed (contract 3): that is an answer to read part by part, not a failure of the call.
     */
    public TargetAnswer answer(@ExchangeProperty(REQUEST) TargetRequest request, @Header(Exchange.HTTP_RESPONSE_CODE) Integer code,
                            @Header(Exchange.HTTP_RESPONSE_TEXT) String statusText, @Header("Retry-After") String retryAfter,
                            @Header("ETag") String etag, @Body Object answer, @Headers Map<String, Object> headers)
            throws HttpOperationFailedException, IOException {
        int status = code == null ? 0 : code;
        String body;
        if (answer instanceof byte[] bytes) {
            body = text(bytes, bytes.length, status);
        } else if (answer == null || answer instanceof InputStream) {
            body = read((InputStream) answer, status);
        } else {
            throw new IllegalStateException("camel-http answered with a body of " + answer.getClass().getName() + ", not bytes or a stream");
        }
        if (!request.isAnswer(status)) {
            Map<String, String> failed = new LinkedHashMap<>();
            if (retryAfter != null) {
                failed.put("Retry-After", retryAfter);
            }
            throw new HttpOperationFailedException(request.method() + " " + request.path(), status, statusText, null, failed, body);
        }
        headers.clear();
        Map<String, String> kept = new LinkedHashMap<>();
        if (retryAfter != null) {
            kept.put(TargetAnswer.RETRY_AFTER, retryAfter);
        }
        if (etag != null) {
            kept.put("ETag", etag);
        }
        return new TargetAnswer(status, body, kept);
    }

    /** The answer's text, read up to erp.max-answer-size. */
    private String read(InputStream in, int status) throws IOException {
        if (in == null) {
            return "";
        }
        try (in) {
            // why: into one buffer sized by what the stream says it holds (camel-http's cached answer knows), not
            // readNBytes' 8 KB pieces copied together: the answers are most of what a cycle allocates (JFR, bench/RESULTS.md)
            int limit = (int) Math.min(Integer.MAX_VALUE - 8, maxAnswerBytes + 1);
            byte[] buf = new byte[Math.max(1, Math.min(limit, Math.max(8192, in.available() + 1)))];
            int len = 0;
            while (true) {
                if (len == buf.length) {
                    if (len >= limit) {
                        break;
                    }
                    buf = Arrays.copyOf(buf, (int) Math.min(limit, buf.length * 2L));
                }
                int n = in.read(buf, len, buf.length - len);
                if (n < 0) {
                    break;
                }
                len += n;
            }
            return text(buf, len, status);
        }
    }

    /**
     * The first {@code len} bytes as text, up to erp.max-answer-size. camel-http hands an answer that
     * says its length (up to camel.component.http.response-payload-streaming-threshold) over as these
     * bytes, read once into an array of that length.
     */
    private String text(byte[] buf, int len, int status) {
        String text = new String(buf, 0, (int) Math.min(len, maxAnswerBytes), StandardCharsets.UTF_8);
        if (len > maxAnswerBytes) {
            throw new UnreadableAnswer("an answer larger than erp.max-answer-size (" + maxAnswerBytes + " bytes); only that much was read",
                    status, text);
        }
        return text;
    }
}
