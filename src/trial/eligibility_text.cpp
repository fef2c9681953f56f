// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Splitting registry eligibility text into items (include/ctm/trial/eligibility_text.hpp).
// Pure text processing: no I/O library, so it lives in the trial module.
#include <ctm/trial/eligibility_text.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ctm {
namespace {

bool is_blank(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_upper(char c) noexcept { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) noexcept { return c >= 'a' && c <= 'z'; }
char lower(char c) noexcept { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

bool contains(std::string_view hay, std::string_view needle) {
  return hay.find(needle) != std::string_view::npos;
}

// The kinds of list marker; a change of kind at the same indentation can open a sub-list.
enum class marker_kind : std::uint8_t {
  none,
  star,
  dash,
  plus,
  letter_o,
  unicode_bullet,
  number_dot,
  number_paren,
  paren_number,
  lower_dot,
  lower_paren,
  paren_lower,
  upper_dot,
  upper_paren,
  roman_dot,
  roman_paren,
  paren_roman,
};

struct marker {
  marker_kind kind = marker_kind::none;
  std::size_t length = 0;  // bytes of the marker itself, without the spaces after it
};

bool is_roman(std::string_view s) {
  static constexpr std::array<std::string_view, 12> numerals{
      "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"};
  const std::string l = lowered(s);
  return std::find(numerals.begin(), numerals.end(), l) != numerals.end();
}

// The marker at the start of `s` (already left-trimmed), if one is followed by white space.
marker find_marker(std::string_view s) {
  const auto followed_by_space = [&](std::size_t n) {
    return n < s.size() && (s[n] == ' ' || s[n] == '\t');
  };
  if (s.empty()) return {};
  // Unicode bullets: U+2022 •, U+00B7 ·, U+25AA ▪, U+25E6 ◦, U+25CB ○, U+F0B7 (Word symbol font),
  // U+2013 – and U+2014 — used as dashes, U+27A2 ➢.
  static constexpr std::array<std::string_view, 9> unicode{
      "\xE2\x80\xA2", "\xC2\xB7",     "\xE2\x96\xAA", "\xE2\x97\xA6", "\xE2\x97\x8B",
      "\xEF\x82\xB7", "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x9E\xA2"};
  for (std::string_view u : unicode) {
    if (s.substr(0, u.size()) == u) {
      // A bullet glued to its text ("•Age") still counts; a dash must be followed by a space.
      const bool dash = u == unicode[6] || u == unicode[7];
      if (!dash || followed_by_space(u.size())) return {marker_kind::unicode_bullet, u.size()};
    }
  }
  switch (s[0]) {
    case '*':
      if (followed_by_space(1)) return {marker_kind::star, 1};
      break;
    case '-':
      if (followed_by_space(1)) return {marker_kind::dash, 1};
      break;
    case '+':
      if (followed_by_space(1)) return {marker_kind::plus, 1};
      break;
    case 'o':
      if (followed_by_space(1)) return {marker_kind::letter_o, 1};
      break;
    default:
      break;
  }
  // Parenthesised: (1) (a) (iv)
  if (s[0] == '(') {
    const std::size_t close = s.find(')');
    if (close != std::string_view::npos && close >= 2 && close <= 5 &&
        followed_by_space(close + 1)) {
      const std::string_view inner = s.substr(1, close - 1);
      if (std::all_of(inner.begin(), inner.end(), is_digit)) {
        return {marker_kind::paren_number, close + 1};
      }
      if (inner.size() > 1 && is_roman(inner)) return {marker_kind::paren_roman, close + 1};
      if (inner.size() == 1 && is_alpha(inner[0])) return {marker_kind::paren_lower, close + 1};
    }
    return {};
  }
  // 1. 12) a. B) iv.
  std::size_t n = 0;
  while (n < s.size() && n < 4 && is_digit(s[n])) ++n;
  if (n > 0 && n <= 3 && n < s.size() && (s[n] == '.' || s[n] == ')') && followed_by_space(n + 1)) {
    return {s[n] == '.' ? marker_kind::number_dot : marker_kind::number_paren, n + 1};
  }
  n = 0;
  while (n < s.size() && n < 5 && is_alpha(s[n])) ++n;
  if (n > 0 && n < s.size() && (s[n] == '.' || s[n] == ')') && followed_by_space(n + 1)) {
    const std::string_view word = s.substr(0, n);
    const bool dot = s[n] == '.';
    if (n > 1 && is_roman(word))
      return {dot ? marker_kind::roman_dot : marker_kind::roman_paren, n + 1};
    if (n == 1 && is_lower(word[0])) {
      return {dot ? marker_kind::lower_dot : marker_kind::lower_paren, n + 1};
    }
    if (n == 1 && is_upper(word[0])) {
      return {dot ? marker_kind::upper_dot : marker_kind::upper_paren, n + 1};
    }
  }
  return {};
}

// Removes markdown emphasis around a heading ("**Inclusion Criteria:**", "## Exclusion").
std::string_view strip_emphasis(std::string_view s) {
  s = trim(s);
  while (!s.empty() && (s.front() == '#' || s.front() == '*' || s.front() == '_'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == '*' || s.back() == '_')) s.remove_suffix(1);
  return trim(s);
}

enum class heading_kind : std::uint8_t { none, inclusion, exclusion, other };

struct heading {
  heading_kind kind = heading_kind::none;
  std::string title;           // the heading without its colon
  std::size_t rest_start = 0;  // offset in the line content of text that follows the heading
};

// Inclusion/exclusion headings: short text naming inclusion or exclusion criteria.
heading_kind section_heading_kind(std::string_view title) {
  const std::string l = lowered(title);
  if (l.size() > 90) return heading_kind::none;
  const bool non_inclusion = contains(l, "non-inclusion") || contains(l, "non inclusion");
  const bool inclusion = contains(l, "inclusion") && !non_inclusion;
  const bool exclusion = contains(l, "exclusion") || non_inclusion || contains(l, "ineligibility");
  if (inclusion == exclusion) {
    return (inclusion || contains(l, "eligibility criteria")) && l.size() <= 60
               ? heading_kind::other
               : heading_kind::none;
  }
  // "Inclusion", "Inclusions", "Key inclusion criteria", "Inclusion criteria for part B".
  const bool names_criteria = contains(l, "criteri") || contains(l, "inclusions") ||
                              contains(l, "exclusions") || l == "inclusion" || l == "exclusion" ||
                              contains(l, "non-inclusion");
  if (!names_criteria) return heading_kind::none;
  return inclusion ? heading_kind::inclusion : heading_kind::exclusion;
}

bool all_capitals(std::string_view s) {
  int letters = 0;
  for (char c : s) {
    if (is_lower(c)) return false;
    if (is_upper(c)) ++letters;
  }
  return letters >= 2;
}

// Classifies a line's content (marker already removed when `marked`).
heading find_heading(std::string_view content, bool marked) {
  heading h;
  const std::string_view plain = strip_emphasis(content);
  const std::size_t colon = plain.find(':');
  // A whole-line heading: "Inclusion Criteria", "Exclusion criteria:-", "**Inclusion:**".
  std::string_view whole = plain;
  while (!whole.empty() && (whole.back() == ':' || whole.back() == '-' || whole.back() == ' ')) {
    whole.remove_suffix(1);
  }
  const heading_kind whole_kind = section_heading_kind(whole);
  const bool ends_heading = colon == std::string_view::npos ||
                            trim(plain.substr(colon + 1)).empty() ||
                            trim(plain.substr(colon + 1)) == "-";
  if (whole_kind != heading_kind::none && ends_heading) {
    h.kind = whole_kind;
    h.title = std::string(whole);
    h.rest_start = content.size();
    return h;
  }
  if (colon != std::string_view::npos && colon > 0) {
    const std::string_view title = trim(plain.substr(0, colon));
    const heading_kind k = section_heading_kind(title);
    const std::size_t rest = content.find(':');
    if (k == heading_kind::inclusion || k == heading_kind::exclusion) {
      h.kind = k;
      h.title = std::string(title);
      h.rest_start = rest == std::string_view::npos ? content.size() : rest + 1;
      return h;
    }
    if (marked) return h;
    // "PATIENT CHARACTERISTICS: Age: 18 and over" (PDQ); a short capitalised lead-in.
    if (title.size() >= 8 && title.size() <= 60 && all_capitals(title) &&
        std::count(title.begin(), title.end(), ' ') >= 1) {
      h.kind = heading_kind::other;
      h.title = std::string(title);
      h.rest_start = rest == std::string_view::npos ? content.size() : rest + 1;
      return h;
    }
  }
  if (marked) return h;
  // A short unmarked line ending in ':' ("Hematopoietic:", "Part A:") or in capitals.
  if (!plain.empty() && plain.size() <= 60 && plain.back() == ':' && !contains(plain, ". ")) {
    h.kind = heading_kind::other;
    h.title = std::string(trim(plain.substr(0, plain.size() - 1)));
    h.rest_start = content.size();
    return h;
  }
  if (plain.size() <= 60 && all_capitals(plain) &&
      std::count(plain.begin(), plain.end(), ' ') >= 1 &&
      plain.find_first_of(".;,") == std::string_view::npos) {
    h.kind = heading_kind::other;
    h.title = std::string(plain);
    h.rest_start = content.size();
  }
  return h;
}

bool is_note(std::string_view content) {
  std::string_view s = strip_emphasis(content);
  if (!s.empty() && s.front() == '(') s.remove_prefix(1);
  const std::string l = lowered(s.substr(0, 8));
  if (l.rfind("note", 0) != 0) return false;
  // "Note:", "Notes:", "NOTE -", "Note that"; not "Notable", "Noted".
  const std::string_view after = std::string_view(l).substr(4);
  return after.empty() || after[0] == ':' || after[0] == ' ' || after[0] == '-' ||
         (after[0] == 's' && (after.size() == 1 || after[1] == ':' || after[1] == ' '));
}

// ClinicalTrials.gov markdown escapes ("\>=", "\<", "\*") undone; white space collapsed.
std::string clean(std::string_view raw) {
  static constexpr std::string_view escapable = "\\`*_{}[]()#+-.!<>=~|^";
  std::string out;
  out.reserve(raw.size());
  bool space = false;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\\' && i + 1 < raw.size() && escapable.find(raw[i + 1]) != std::string_view::npos) {
      c = raw[++i];
    } else if (is_blank(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

struct open_item {
  std::size_t index = 0;  // in items
  std::size_t indent = 0;
  marker_kind kind = marker_kind::none;
  bool has_children = false;
};

// "1." and "2)" are the same list written carelessly; so are "a." and "b)".
int family(marker_kind k) {
  switch (k) {
    case marker_kind::number_dot:
    case marker_kind::number_paren:
      return 1;
    case marker_kind::lower_dot:
    case marker_kind::lower_paren:
      return 2;
    case marker_kind::upper_dot:
    case marker_kind::upper_paren:
      return 3;
    case marker_kind::roman_dot:
    case marker_kind::roman_paren:
      return 4;
    default:
      return 10 + static_cast<int>(k);
  }
}

class splitter {
 public:
  explicit splitter(std::string_view text) : text_(text) {}

  eligibility_split run() {
    std::size_t pos = 0;
    std::uint32_t line_no = 0;
    while (pos <= text_.size()) {
      const std::size_t nl = text_.find('\n', pos);
      const std::size_t end = nl == std::string_view::npos ? text_.size() : nl;
      ++line_no;
      line(pos, end, line_no);
      if (nl == std::string_view::npos) break;
      pos = nl + 1;
    }
    finish_current();
    return std::move(out_);
  }

 private:
  void line(std::size_t begin, std::size_t end, std::uint32_t line_no) {
    std::size_t indent = 0;
    std::size_t i = begin;
    while (i < end && (text_[i] == ' ' || text_[i] == '\t')) {
      indent += text_[i] == '\t' ? std::size_t{4} : std::size_t{1};
      ++i;
    }
    std::size_t e = end;
    while (e > i && is_blank(text_[e - 1])) --e;
    if (i >= e) {
      blank_ = true;
      return;
    }
    const std::string_view content = text_.substr(i, e - i);
    const marker m = find_marker(content);
    std::size_t body = i + m.length;
    while (body < e && (text_[body] == ' ' || text_[body] == '\t')) ++body;
    const std::string_view after_marker = text_.substr(body, e - body);

    const heading h = find_heading(after_marker, m.kind != marker_kind::none);
    if (h.kind == heading_kind::inclusion || h.kind == heading_kind::exclusion) {
      section_ = h.kind == heading_kind::inclusion ? eligibility_section::inclusion
                                                   : eligibility_section::exclusion;
      out_.has_sections = true;
      heading_.clear();
      start_rest(h, body, e, indent, line_no);
      return;
    }

    if (m.kind == marker_kind::none) {
      // An unmarked "Note:" line is a note of its own, not a continuation.
      if (current_ && !is_note(after_marker) && (indent > current_indent() || !blank_)) {
        extend(body, e);
        blank_ = false;
        return;
      }
      if (h.kind == heading_kind::other) {
        heading_ = h.title;
        start_rest(h, body, e, indent, line_no);
        return;
      }
    }
    start_item(m, content.substr(0, m.length), body, e, indent, line_no);
    blank_ = false;
  }

  // After a heading: a new list starts; any text after the heading is an item of its own.
  void start_rest(const heading& h, std::size_t body, std::size_t e, std::size_t indent,
                  std::uint32_t line_no) {
    finish_current();
    stack_.clear();
    blank_ = true;
    std::size_t rest = body + h.rest_start;
    while (rest < e && (is_blank(text_[rest]) || text_[rest] == '-')) ++rest;
    if (rest < e) {
      start_item(marker{}, {}, rest, e, indent, line_no);
      blank_ = false;
    }
  }

  std::size_t current_indent() const { return stack_.empty() ? 0 : stack_.back().indent; }

  void start_item(marker m, std::string_view marker_text, std::size_t body, std::size_t e,
                  std::size_t indent, std::uint32_t line_no) {
    finish_current();
    const std::string_view words = text_.substr(body, e - body);
    const bool note = is_note(words);

    // Close the items this one cannot be inside.
    while (!stack_.empty() && stack_.back().indent > indent) stack_.pop_back();
    while (!note && !stack_.empty() && stack_.back().indent == indent) {
      const open_item& top = stack_.back();
      const std::string& top_text = out_.items[top.index].text;
      // A different kind of marker right after a line ending in ':' opens a sub-list.
      const bool sub_list = m.kind != marker_kind::none && family(top.kind) != family(m.kind) &&
                            !top.has_children && !top_text.empty() && top_text.back() == ':';
      if (sub_list) break;
      stack_.pop_back();
    }
    // A note written at the level of the items attaches to the item before it.
    if (note && stack_.empty() && last_top_.has_value()) {
      stack_.push_back(open_item{*last_top_, indent, marker_kind::none});
    }

    eligibility_item item;
    item.section = section_;
    item.line = line_no;
    item.is_note = note;
    item.heading = heading_;
    item.marker = std::string(marker_text);
    if (!stack_.empty()) {
      stack_.back().has_children = true;
      item.parent = stack_.back().index;
      item.depth = out_.items[stack_.back().index].depth + 1;
    }
    item.span.offset = static_cast<std::uint32_t>(body);
    const std::size_t index = out_.items.size();
    out_.items.push_back(std::move(item));
    if (out_.items.back().depth == 0) last_top_ = index;
    stack_.push_back(open_item{index, indent, m.kind});
    current_ = true;
    current_begin_ = body;
    current_end_ = e;
    // A note is not a list level of its own: what follows it belongs to its parent.
    out_.items[index].text = clean(text_.substr(body, e - body));
  }

  void extend(std::size_t /*begin*/, std::size_t e) {
    current_end_ = e;
    eligibility_item& item = out_.items[stack_.back().index];
    item.text = clean(text_.substr(current_begin_, current_end_ - current_begin_));
  }

  void finish_current() {
    if (!current_) return;
    eligibility_item& item = out_.items[stack_.back().index];
    item.span.length = static_cast<std::uint32_t>(current_end_ - current_begin_);
    current_ = false;
  }

  std::string_view text_;
  eligibility_split out_;
  std::vector<open_item> stack_;
  eligibility_section section_ = eligibility_section::unspecified;
  std::string heading_;
  std::optional<std::size_t> last_top_;
  bool blank_ = true;
  bool current_ = false;
  std::size_t current_begin_ = 0;
  std::size_t current_end_ = 0;
};

// PDQ-style entries that hold no requirement: "Not specified", "See Disease Characteristics".
bool is_placeholder(std::string_view text) {
  std::string l = lowered(trim(text));
  while (!l.empty() && (l.back() == '.' || l.back() == ':')) l.pop_back();
  return l == "not specified" || l == "not applicable" || l == "none" ||
         l == "see disease characteristics" || l == "see general eligibility criteria" ||
         l == "see general eligibility";
}

std::string numbered(const std::string& prefix, std::size_t n) {
  std::string digits = std::to_string(n);
  if (digits.size() < 2) digits.insert(0, "0");
  return prefix + "-" + digits;
}

}  // namespace

std::string_view to_string(eligibility_section s) noexcept {
  switch (s) {
    case eligibility_section::inclusion:
      return "inclusion";
    case eligibility_section::exclusion:
      return "exclusion";
    case eligibility_section::unspecified:
      return "unspecified";
  }
  return "unspecified";
}

eligibility_split split_eligibility_text(std::string_view text) {
  // Offsets are 32-bit in `text_span`; a longer text is split only in its first 4 GiB.
  if (text.size() > 0xFFFFFFFFu) text = text.substr(0, 0xFFFFFFFFu);
  return splitter(text).run();
}

std::vector<criterion> eligibility_criteria(const eligibility_split& split,
                                            const eligibility_criteria_options& options) {
  std::vector<criterion> out;
  std::vector<std::string> folded(split.items.size());
  // Children follow their parents, so one backwards pass folds every subtree into its root.
  for (std::size_t i = split.items.size(); i-- > 0;) {
    const eligibility_item& item = split.items[i];
    std::string text = item.text;
    text += folded[i];
    if (item.parent) {
      std::string line = "\n" + std::string(2 * (item.depth - 1), ' ') + "- " + text;
      folded[*item.parent].insert(0, line);
    } else {
      folded[i] = std::move(text);
    }
  }
  std::size_t inclusions = 0;
  std::size_t exclusions = 0;
  for (std::size_t i = 0; i < split.items.size(); ++i) {
    const eligibility_item& item = split.items[i];
    if (item.parent || trim(folded[i]).empty() || is_placeholder(item.text)) continue;
    criterion c;
    if (item.section == eligibility_section::exclusion) {
      c.kind = criterion_kind::exclusion;
      c.id = numbered(options.exclusion_prefix, ++exclusions);
    } else {
      c.kind = criterion_kind::inclusion;
      c.id = numbered(options.inclusion_prefix, ++inclusions);
    }
    c.text = std::move(folded[i]);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace ctm
