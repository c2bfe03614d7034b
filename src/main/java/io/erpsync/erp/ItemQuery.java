package io.erpsync.erp;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.stream.Collectors;

/** The pre-check read of one batch (contract 2.1): one organization, the batch's item numbers. */
public final class ItemQuery {
    /** The contract cuts larger limits to 500; a batch never holds more items than that. */
    public static final int LIMIT = 500;

    private ItemQuery() {
    }

    public static ErpRequest forItems(String organizationCode, Collection<String> itemNumbers) {
        String q = "OrganizationCode = " + literal(organizationCode) + " and ItemNumber in ("
                + itemNumbers.stream().map(ItemQuery::literal).collect(Collectors.joining(",")) + ")";
        String query = "q=" + encode(q) + "&limit=" + LIMIT + "&offset=0";
        return ErpRequest.get(ErpRequest.VERSION_ROOT + "/items", query);
    }

    /** REST framework v2 string literal: single quotes, a quote inside doubled. */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
