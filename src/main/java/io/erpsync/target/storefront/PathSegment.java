package io.erpsync.target.storefront;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * An id (a list, a product, an item number) as one segment of a storefront path: percent-encoded, so
 * that an item number holding a slash, a space, '?', '#' or '%' names its own record and no other.
 */
final class PathSegment {
    private PathSegment() {
    }

    static String of(String id) {
        if (id.equals(".") || id.equals("..")) {
            // a dot segment would be resolved away by the server or a proxy on the way
            return id.replace(".", "%2E");
        }
        // URLEncoder writes a form: its '+' for a space is a plus sign in a path
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
