package io.erpsync.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TargetColumnTest {

    @Test
    void a_target_name_is_lower_case_letters_digits_and_dashes() {
        assertEquals("storefront", TargetColumn.check("storefront"));
        assertEquals("shop-2", TargetColumn.check("shop-2"));
        assertEquals(" AND target = 'erp'", TargetColumn.and("erp"));
        assertEquals("a" + "b".repeat(31), TargetColumn.check("a" + "b".repeat(31)));
    }

    @Test
    void anything_else_is_refused_before_it_reaches_a_statement() {
        for (String bad : new String[] {null, "", "Shop", "2shop", "shop'; DROP TABLE sync_run; --", "a" + "b".repeat(32)}) {
            assertEquals("a target's name is lower-case letters, digits and dashes (at most 32), was '" + bad + "'",
                    assertThrows(IllegalArgumentException.class, () -> TargetColumn.check(bad)).getMessage());
        }
    }
}
