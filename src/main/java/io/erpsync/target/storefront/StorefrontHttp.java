package io.erpsync.target.storefront;

import io.erpsync.target.TargetAnswer;
import io.erpsync.target.TargetCalls;
import io.erpsync.target.TargetRequest;
import io.erpsync.target.UnreadableAnswer;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.http.base.HttpOperationFailedException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * Puts a {@link TargetRequest} for the storefront on the wire (routes/storefront-call.camel.yaml):
 * through {@link AccessTokens} (the bearer token; one new token on a refused one), by camel-http to
 * storefront.base-url, at most storefront.max-concurrent-requests at once. The answer's status and its
 * {@code sfdc_load_status} stay as headers for the rate in force (storefrontRate), then
 * {@link #answer} hands it to the caller, or throws the failure the error policy works on.
 */
public final class StorefrontHttp {
    static final String REQUEST = "storefrontRequest";
    /** Header: the storefront's own word on its load (WARN from 80 %, THROTTLE from 90 %). */
    public static final String LOAD_STATUS = "sfdc_load_status";
    private static final String ANSWER = "storefrontAnswer";

    private final AccessTokens tokens;
    private final ProducerTemplate http;
    private final String endpoint;
    private final long maxAnswerBytes;
    private final Semaphore inFlight;

    public StorefrontHttp(AccessTokens tokens, ProducerTemplate http, String baseUrl, long maxAnswerBytes, int maxConcurrent) {
        this.tokens = tokens;
        this.http = http;
        this.endpoint = baseUrl + "?throwExceptionOnFailure=false";
        this.maxAnswerBytes = maxAnswerBytes;
        this.inFlight = new Semaphore(Math.max(1, maxConcurrent), true);
    }

    /** Keeps the request aside (a redelivery comes back with the last answer as its body) and counts it. */
    public void prepare(Exchange ex) throws InvalidPayloadException {
        ex.getMessage().setBody(TargetCalls.keepAside(ex, REQUEST));
    }

    /** The call through the token: its answer (any status), with its status and load status as headers. */
    public void send(Exchange ex) throws Exception {
        TargetRequest r = ex.getProperty(REQUEST, TargetRequest.class);
        if (tokens == null) {
            throw new IllegalStateException("the storefront is not a target here (setting targets)");
        }
        inFlight.acquire();
        TargetAnswer a;
        try {
            a = tokens.call(r, this::wire);
        } catch (NoAnswer e) {
            // the failure itself (a reset, a timeout) for the error policy, as camel-http throws it for the ERP
            throw e.failure;
        } catch (AccessTokens.Unavailable e) {
            throw failure("POST " + e.path(), e.answer());
        } finally {
            inFlight.release();
        }
        Message m = ex.getMessage();
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, a.status());
        String load = a.headers().get(LOAD_STATUS);
        if (load != null) {
            m.setHeader(LOAD_STATUS, load);
        }
        ex.setProperty(ANSWER, a);
        m.setBody(a);
    }

    /** The answer for the caller, or the failure of the call (429, 503, 5xx, a refusal the request does not read). */
    public TargetAnswer answer(Exchange ex) throws HttpOperationFailedException {
        TargetRequest r = ex.getProperty(REQUEST, TargetRequest.class);
        TargetAnswer a = ex.getProperty(ANSWER, TargetAnswer.class);
        ex.getMessage().removeHeaders("*");
        if (!r.isAnswer(a.status())) {
            throw failure(r.method() + " " + r.path(), a);
        }
        return a;
    }

    /** An answer as the failure the error policy works on (the status, Retry-After, the body). */
    private static HttpOperationFailedException failure(String request, TargetAnswer a) {
        Map<String, String> failed = new LinkedHashMap<>();
        if (a.retryAfter() != null) {
            failed.put("Retry-After", a.retryAfter());
        }
        return new HttpOperationFailedException(request, a.status(), "", null, failed, a.body());
    }

    /** One HTTP exchange with the storefront, by camel-http (the http component's timeouts and pool). */
    private TargetAnswer wire(TargetRequest r) {
        Exchange out = http.send(endpoint, e -> {
            Message m = e.getMessage();
            m.setHeader(Exchange.HTTP_METHOD, r.httpMethod());
            m.setHeader(Exchange.HTTP_PATH, r.path());
            if (r.query() != null) {
                m.setHeader(Exchange.HTTP_QUERY, r.query());
            }
            m.setHeader("Accept", "application/json");
            if (r.contentType() != null) {
                m.setHeader(Exchange.CONTENT_TYPE, r.contentType());
            }
            r.headers().forEach(m::setHeader);
            m.setBody(r.body());
        });
        if (out.getException() != null) {
            // no answer (a reset, a timeout): the error policy's to retry
            throw new NoAnswer(out.getException());
        }
        Message m = out.getMessage();
        Integer code = m.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        int status = code == null ? 0 : code;
        Map<String, String> kept = new LinkedHashMap<>();
        String retryAfter = m.getHeader("Retry-After", String.class);
        if (retryAfter != null) {
            kept.put(TargetAnswer.RETRY_AFTER, retryAfter);
        }
        String contentType = m.getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType != null) {
            kept.put("Content-Type", contentType);
        }
        String load = m.getHeader(LOAD_STATUS, String.class);
        if (load != null) {
            kept.put(LOAD_STATUS, load);
        }
        return new TargetAnswer(status, read(m, status), kept);
    }

    /** A call without an answer, carried out of the token's transport function. */
    private static final class NoAnswer extends RuntimeException {
        final Exception failure;

        NoAnswer(Exception failure) {
            super(failure);
            this.failure = failure;
        }
    }

    private String read(Message m, int status) {
        try (InputStream in = m.getBody(InputStream.class)) {
            if (in == null) {
                return "";
            }
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxAnswerBytes + 1));
            String text = new String(bytes, 0, (int) Math.min(bytes.length, maxAnswerBytes), StandardCharsets.UTF_8);
            if (bytes.length > maxAnswerBytes) {
                throw new UnreadableAnswer("a storefront answer larger than storefront.max-answer-size (" + maxAnswerBytes + " bytes)",
                        status, text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
