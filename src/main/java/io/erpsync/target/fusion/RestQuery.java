package io.erpsync.target.fusion;

import io.erpsync.target.TargetRequest;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The ERP's collection filters (contract 2.1 and 5, REST framework v2 {@code q}): conditions joined
 * by {@code and}, each {@code Field = 'value'} or {@code Field in ('a','b')}.
 */
public final class RestQuery {
    /** The contract cuts larger limits to 500: one read never asks for more items than that. */
    public static final int LIMIT = 500;

    private RestQuery() {
    }

    /** The fields a read asks for (contract 2.1 fields=): identity and our one field; the ETag comes with the item's links. */
    static final String FIELDS = "ItemId,ItemNumber,OrganizationCode,OnhandQuantity";

    /** The items of one organization with these numbers, with their ETags (no onlyData). */
    public static TargetRequest items(String organizationCode, Collection<String> itemNumbers) {
        return items(List.of(organizationCode), itemNumbers, false);
    }

    /**
     * The items with these numbers in these organizations, with their ETags, and only the fields the
     * runtime reads when {@code onlyOurFields} (a smaller answer). With several
     * organizations the answer may hold more than asked for (a number in another of them): the caller matches both.
     */
    public static TargetRequest items(Collection<String> organizationCodes, Collection<String> itemNumbers, boolean onlyOurFields) {
        String orgs = organizationCodes.size() == 1 ? "OrganizationCode = " + literal(organizationCodes.iterator().next())
                : "OrganizationCode in (" + list(organizationCodes) + ")";
        String q = orgs + " and ItemNumber in (" + list(itemNumbers) + ")";
        return FusionRequests.get(FusionRequests.VERSION_ROOT + "/items", "q=" + encode(q) + "&limit=" + LIMIT + "&offset=0"
                + (onlyOurFields ? "&fields=" + encode(FIELDS) : ""));
    }

    /** Scheduled processes of these names in these states; the server may ignore q, so the answer is filtered too. */
    public static TargetRequest scheduledProcesses(Collection<String> jobNames, Collection<String> states) {
        String q = "jobDefinitionName in (" + list(jobNames) + ") and state in (" + list(states) + ")";
        return FusionRequests.get(FusionRequests.ESS_REQUESTS, "q=" + encode(q) + "&limit=" + LIMIT);
    }

    /** A string literal: single quotes, a quote inside doubled. */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static String list(Collection<String> values) {
        return values.stream().map(RestQuery::literal).collect(Collectors.joining(","));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
