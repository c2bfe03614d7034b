package io.erpsync.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

class QueryTest {
    static final Set<String> FIELDS = Set.of("ItemNumber", "OrganizationCode");

    @Test
    void equality_and_in_lists_joined_by_and_with_doubled_quotes() {
        Query q = Query.parse("OrganizationCode = 'M1' and ItemNumber in ('A','O''Brien', 'C')", FIELDS);
        assertEquals(Set.of("A", "O'Brien", "C"), q.valuesOf("ItemNumber"));
        assertTrue(q.matches(Map.of("OrganizationCode", "M1", "ItemNumber", "O'Brien")));
        assertFalse(q.matches(Map.of("OrganizationCode", "M2", "ItemNumber", "A")));
    }

    @Test
    void unknown_fields_and_broken_syntax_are_invalid() {
        assertThrows(Query.Invalid.class, () -> Query.parse("Colour = 'red'", FIELDS));
        assertThrows(Query.Invalid.class, () -> Query.parse("ItemNumber = 'A", FIELDS));
        assertThrows(Query.Invalid.class, () -> Query.parse("ItemNumber in ('A' 'B')", FIELDS));
    }
}
