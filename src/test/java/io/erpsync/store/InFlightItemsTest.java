package io.erpsync.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import java.util.List;

class InFlightItemsTest {

    @Test
    void a_batch_of_items_is_kept_in_one_row_and_read_back_as_it_was_whatever_its_names_hold() {
        List<InFlightItems.Item> items = List.of(new InFlightItems.Item("ITM-1", "M1", "M1|TOOLS"),
                new InFlightItems.Item("tab\there", "new\nline", "back\\slash"), new InFlightItems.Item("ITM-2", "M2", null),
                new InFlightItems.Item("\\0", "", "\\t"));

        String row = InFlightItems.encode(items);

        assertEquals(4, row.lines().count(), "one item a line");
        assertEquals(items, InFlightItems.decode(row));
    }
}
