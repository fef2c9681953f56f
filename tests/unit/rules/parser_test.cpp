// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "support/rules_fixtures.hpp"

#include <ctm/rules/ast.hpp>
#include <ctm/rules/check.hpp>
#include <ctm/rules/program.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace ctm::rules;

TEST_SUITE("rules.parser") {
  TEST_CASE("precedence: not binds tighter than and, and tighter than or") {
    const parsed_rule r = parse("not a and b or c");
    REQUIRE(r.ok());
    CHECK(print(r) ==
          "(or @1:1\n"
          "  (and @1:1\n"
          "    (not @1:1\n"
          "      (identifier a @1:5))\n"
          "    (identifier b @1:11))\n"
          "  (identifier c @1:16))\n");
  }

  TEST_CASE("numbers, units, durations, ranges and multiples of ULN") {
    const parsed_rule r = parse(
        "lab(anc, within 14 days) >= 1.5 [10*9/L] and ecog in 0..1 and lab(ast) <= 2.5 x uln");
    REQUIRE(r.ok());
    CHECK(print(r) ==
          "(and @1:1\n"
          "  (compare >= @1:1\n"
          "    (call lab @1:1\n"
          "      (identifier anc @1:5)\n"
          "      (within @1:10\n"
          "        (duration 14 days @1:17)))\n"
          "    (number 1.5 [10*9/L] @1:29))\n"
          "  (in_range @1:46\n"
          "    (identifier ecog @1:46)\n"
          "    (number 0 @1:54)\n"
          "    (number 1 @1:57))\n"
          "  (compare <= @1:63\n"
          "    (call lab @1:63\n"
          "      (identifier ast @1:67))\n"
          "    (times uln @1:75\n"
          "      (number 2.5 @1:75))))\n");

    const node& root = r[*r.body()];
    CHECK(root.kind == node_kind::and_op);
    CHECK(root.children.size() == 3);
    const node& third = r[root.children[2]];
    CHECK(third.kind == node_kind::compare);
    CHECK(r[third.children[1]].kind == node_kind::uln_multiple);
    CHECK(r[r[third.children[1]].children[0]].value == 2.5);
  }

  TEST_CASE("a syntax error is reported with line, column and a caret") {
    const parsed_rule r = parse("ecog <= 1 and\n  lab(anc >= 1.5 [10*9/L]", "incl-3");
    REQUIRE(r.diagnostics().size() == 1);
    const diagnostic& d = r.diagnostics()[0];
    CHECK(d.code == ctm::errc::rule_syntax);
    CHECK(format(d, r.text()) ==
          "incl-3:2:26: error: [ctm.rules.syntax.600] expected ',' or ')', found end of text\n"
          "    lab(anc >= 1.5 [10*9/L]\n"
          "                           ^");
  }

  TEST_CASE("huge durations and counts are syntax errors, not overflowing conversions") {
    // Found by the rules fuzzer: the whole-number check converted to int before the range check.
    for (const char* text : {"time_since(radiotherapy) >= 7022222222222222222222222222 days",
                             "time_since(radiotherapy) >= 1e300 days",
                             "at_least 70222222222222222222222222 of (ecog <= 1, age >= 18)",
                             "at_least 1e300 of (ecog <= 1, age >= 18)"}) {
      const parsed_rule r = parse(text);
      REQUIRE(r.diagnostics().size() == 1);
      CHECK(r.diagnostics()[0].code == ctm::errc::rule_syntax);
    }
    CHECK(parse("time_since(radiotherapy) >= 100000 days").diagnostics().empty());
    CHECK(parse("at_least 2 of (ecog <= 1, age >= 18)").diagnostics().empty());
  }

  TEST_CASE("the caret underlines the whole offending token") {
    const parsed_rule r = parse("age >= 18 then");
    REQUIRE(r.diagnostics().size() == 1);
    CHECK(format(r.diagnostics()[0], r.text()) ==
          "<rule>:1:11: error: [ctm.rules.syntax.600] expected 'and', 'or' or the end of the "
          "criterion, found keyword 'then'\n"
          "  age >= 18 then\n"
          "            ^~~~");
  }

  TEST_CASE("lexer errors: unterminated strings and units, stray characters") {
    CHECK(parse("diagnosis is_a \"NSCLC").diagnostics().at(0).message == "unterminated string");
    CHECK(parse("lab(anc) >= 1 [10*9/L").diagnostics().at(0).message ==
          "unterminated unit: expected ']'");
    CHECK(parse("age >= 18 & ecog <= 1").diagnostics().at(0).message == "unexpected character");
    CHECK(parse("age >= 12abc").diagnostics().at(0).message == "malformed number");
    CHECK(parse("age >= 99999999999999999999999999999999999999999999999999999999999999999999999999"
                "9999999999999999999999999999999999999999999999999999999999999999999999999999999999"
                "9999999999999999999999999999999999999999999999999999999999999999999999999999999999"
                "999999999999999999999999999999999999999999999999999999999999999999999999999")
              .diagnostics()
              .at(0)
              .message == "number out of range");
  }

  TEST_CASE("after an error the parser goes on at the next define") {
    const parsed_rule r = parse(
        "define a = ecog <=\n"
        "define b = age >= 18\n"
        "define c = (sex == female\n"
        "define d = true\n");
    CHECK(r.diagnostics().size() == 2);
    REQUIRE(r.definitions().size() == 2);
    CHECK(r.definitions()[0].name == "b");
    CHECK(r.definitions()[1].name == "d");
    CHECK(r.diagnostics()[0].span.line == 2);
    CHECK(r.diagnostics()[1].span.line == 4);
  }

  TEST_CASE("a document holds definitions and at most one criterion") {
    const parsed_rule r = parse("define a = true\na and b\ndefine b = false");
    CHECK(r.ok());
    CHECK(r.definitions().size() == 2);
    CHECK(r.body().has_value());
    const parsed_rule two = parse("a\nb");
    CHECK_FALSE(two.ok());
  }

  TEST_CASE("comments run to the end of the line") {
    const parsed_rule r = parse("# adults only\nage >= 18 # at consent\n");
    CHECK(r.ok());
    CHECK(print(r) == "(compare >= @2:1\n  (identifier age @2:1)\n  (number 18 @2:8))\n");
  }

  TEST_CASE("keywords cannot be used as names") {
    CHECK_FALSE(parse("define and = true").ok());
    CHECK_FALSE(parse("if = 1").ok());
  }
}

TEST_SUITE("rules.limits") {
  TEST_CASE("10,000 nested parentheses give rule_too_deep, not a stack overflow") {
    const std::string text = std::string(10000, '(') + "ecog <= 1" + std::string(10000, ')');
    const parsed_rule r = parse(text);
    REQUIRE(r.diagnostics().size() == 1);
    CHECK(r.diagnostics()[0].code == ctm::errc::rule_too_deep);
    CHECK(r.diagnostics()[0].message == "rule is nested more than 64 levels deep");
    CHECK(r.diagnostics()[0].span.column == 65);
  }

  TEST_CASE("deep chains of not, if and calls are limited too") {
    std::string nots;
    for (int i = 0; i < 10000; ++i) nots += "not ";
    CHECK(parse(nots + "true").diagnostics().at(0).code == ctm::errc::rule_too_deep);
    std::string ifs;
    for (int i = 0; i < 5000; ++i) ifs += "if true then ";
    CHECK(parse(ifs + "true").diagnostics().at(0).code == ctm::errc::rule_too_deep);
    std::string calls;
    for (int i = 0; i < 5000; ++i) calls += "f(";
    CHECK(parse(calls).diagnostics().at(0).code == ctm::errc::rule_too_deep);
    std::string withins = "lab(anc, ";
    for (int i = 0; i < 5000; ++i) withins += "within ";
    CHECK(parse(withins).diagnostics().at(0).code == ctm::errc::rule_too_deep);
  }

  TEST_CASE("nesting up to the limit is accepted") {
    const std::string text = std::string(64, '(') + "ecog <= 1" + std::string(64, ')');
    CHECK(parse(text).ok());
    const std::string too_deep = std::string(65, '(') + "ecog <= 1" + std::string(65, ')');
    CHECK_FALSE(parse(too_deep).ok());
    limits wide;
    wide.max_depth = 200;
    CHECK(parse(too_deep, "<rule>", wide).ok());
  }

  TEST_CASE("a 10 MB file gives rule_too_large before any parsing") {
    const std::string text(10u << 20, 'a');
    const parsed_rule r = parse(text, "huge.rules");
    REQUIRE(r.diagnostics().size() == 1);
    CHECK(r.diagnostics()[0].code == ctm::errc::rule_too_large);
    CHECK(r.diagnostics()[0].message == "rule text is 10485760 bytes; the limit is 1048576");
    CHECK(r.text().empty());
  }

  TEST_CASE("too many syntax nodes give rule_too_large") {
    std::string text = "ecog <= 1";
    for (int i = 0; i < 10000; ++i) text += " and ecog <= 1";
    const parsed_rule r = parse(text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.diagnostics().back().code == ctm::errc::rule_too_large);
  }

  TEST_CASE("a long flat rule within the limits parses, checks, compiles and evaluates") {
    std::string text = "ecog <= 1";
    for (int i = 0; i < 2000; ++i) text += " and ecog <= 1";
    const auto env = ctm::test::rules_environment();
    auto p = compile(text, env);
    REQUIRE(p.has_value());
    ctm::test::fake_fact_source f;
    f.number("ecog", 1);
    evaluation_context ctx;
    CHECK(p->evaluate(f, ctm::test::day(2026, 1, 1), ctx).value == ctm::truth::yes);
    CHECK(p->queries().size() == 1);
  }

  TEST_CASE("definitions that expand exponentially hit the instruction limit when compiled") {
    std::string text = "define d0 = ecog <= 1\n";
    for (int i = 1; i < 40; ++i) {
      text += "define d" + std::to_string(i) + " = d" + std::to_string(i - 1) + " and d" +
              std::to_string(i - 1) + "\n";
    }
    text += "d39";
    const auto env = ctm::test::rules_environment();
    const checked_rule c = check(parse(text), env);
    REQUIRE(c.ok());
    const auto p = compile(c);
    REQUIRE_FALSE(p.has_value());
    CHECK(p.error().code == ctm::errc::rule_too_large);
  }

  TEST_CASE("a long chain of definitions is limited in depth when checked, in either order") {
    std::string forward = "define d0 = ecog <= 1\n";
    std::string backward;
    for (int i = 1; i < 3000; ++i) {
      const std::string line =
          "define d" + std::to_string(i) + " = not d" + std::to_string(i - 1) + "\n";
      forward += line;
      backward = line + backward;
    }
    backward += "define d0 = ecog <= 1\n";
    for (const std::string& text : {forward, backward}) {
      const checked_rule c = check(parse(text + "d2999"), ctm::test::rules_environment());
      REQUIRE_FALSE(c.ok());
      bool too_deep = false;
      for (const auto& d : c.diagnostics()) too_deep |= d.code == ctm::errc::rule_too_deep;
      CHECK(too_deep);
    }
  }
}
