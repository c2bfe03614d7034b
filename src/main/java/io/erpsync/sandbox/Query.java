package io.erpsync.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The REST framework v2 filter subset the contract names (section 2.1): conditions joined by
 * {@code and}, each {@code Field = 'v'} or {@code Field in ('a','b')}; a quote inside a value is doubled.
 */
public record Query(List<Condition> conditions) {

    public record Condition(String field, Set<String> values) {
        boolean matches(Map<String, Object> item) {
            Object v = item.get(field);
            return v != null && values.contains(String.valueOf(v));
        }
    }

    public static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message);
        }
    }

    public boolean matches(Map<String, Object> item) {
        for (Condition c : conditions) {
            if (!c.matches(item)) {
                return false;
            }
        }
        return true;
    }

    public Set<String> valuesOf(String field) {
        return conditions.stream().filter(c -> c.field().equals(field)).map(Condition::values)
                .findFirst().orElse(null);
    }

    public static Query parse(String q, Set<String> knownFields) {
        if (q == null || q.isBlank()) {
            return new Query(List.of());
        }
        Parser p = new Parser(q);
        List<Condition> conditions = new ArrayList<>();
        do {
            String field = p.word();
            if (!knownFields.contains(field)) {
                throw new Invalid("URL request parameter q with value \"" + q + "\" is invalid: unknown attribute " + field);
            }
            p.skipSpaces();
            Set<String> values;
            if (p.peek() == '=') {
                p.expect('=');
                values = Set.of(p.quoted());
            } else if (p.word().equalsIgnoreCase("in")) {
                p.skipSpaces();
                p.expect('(');
                List<String> list = new ArrayList<>();
                do {
                    list.add(p.quoted());
                    p.skipSpaces();
                } while (p.accept(','));
                p.expect(')');
                values = Set.copyOf(list);
            } else {
                throw new Invalid("URL request parameter q with value \"" + q + "\" is invalid: expected = or in after " + field);
            }
            conditions.add(new Condition(field, values));
            p.skipSpaces();
        } while (!p.atEnd() && p.keyword("and"));
        if (!p.atEnd()) {
            throw new Invalid("URL request parameter q with value \"" + q + "\" is invalid near position " + p.pos);
        }
        return new Query(conditions);
    }

    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) {
            this.s = s;
        }

        boolean atEnd() {
            skipSpaces();
            return pos >= s.length();
        }

        char peek() {
            return pos < s.length() ? s.charAt(pos) : 0;
        }

        void skipSpaces() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        boolean accept(char c) {
            skipSpaces();
            if (peek() == c) {
                pos++;
                return true;
            }
            return false;
        }

        void expect(char c) {
            if (!accept(c)) {
                throw new Invalid("URL request parameter q with value \"" + s + "\" is invalid: expected '" + c + "' at " + pos);
            }
        }

        String word() {
            skipSpaces();
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                pos++;
            }
            if (start == pos) {
                throw new Invalid("URL request parameter q with value \"" + s + "\" is invalid: expected a name at " + pos);
            }
            return s.substring(start, pos);
        }

        boolean keyword(String k) {
            int save = pos;
            if (Objects.equals(word().toLowerCase(), k)) {
                return true;
            }
            pos = save;
            return false;
        }

        String quoted() {
            expect('\'');
            StringBuilder b = new StringBuilder();
            while (true) {
                if (pos >= s.length()) {
                    throw new Invalid("URL request parameter q with value \"" + s + "\" is invalid: unterminated string");
                }
                char c = s.charAt(pos++);
                if (c == '\'') {
                    if (peek() == '\'') {
                        b.append('\'');
                        pos++;
                    } else {
                        return b.toString();
                    }
                } else {
                    b.append(c);
                }
            }
        }
    }
}
