// A minimal JSON reader for the tests: enough to parse a report line back and
// check its fields (objects, arrays, strings with escapes, integers,
// true/false/null). Throws std::runtime_error on malformed input.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace conc::test {

struct Json {
  enum class Type { Null, Bool, Number, String, Array, Object } type = Type::Null;
  bool boolean = false;
  int64_t number = 0;
  std::string string;
  std::vector<Json> array;
  std::map<std::string, Json> object;

  const Json& operator[](const std::string& key) const {
    auto it = object.find(key);
    if (type != Type::Object || it == object.end()) throw std::runtime_error("no key " + key);
    return it->second;
  }
  const Json& operator[](size_t i) const { return array.at(i); }
  bool has(const std::string& key) const { return object.count(key) != 0; }
};

class JsonParser {
 public:
  static Json parse(const std::string& text) {
    JsonParser p(text);
    Json v = p.value();
    p.skip_space();
    if (p.pos_ != text.size()) throw std::runtime_error("trailing text");
    return v;
  }

 private:
  explicit JsonParser(const std::string& text) : s_(text) {}

  void skip_space() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\t' || s_[pos_] == '\r')) ++pos_;
  }
  char peek() {
    skip_space();
    if (pos_ >= s_.size()) throw std::runtime_error("unexpected end");
    return s_[pos_];
  }
  void expect(char c) {
    if (peek() != c) throw std::runtime_error(std::string("expected ") + c);
    ++pos_;
  }
  bool literal(const char* word) {
    std::string w(word);
    if (s_.compare(pos_, w.size(), w) != 0) return false;
    pos_ += w.size();
    return true;
  }

  std::string string() {
    expect('"');
    std::string out;
    while (pos_ < s_.size() && s_[pos_] != '"') {
      char c = s_[pos_++];
      if (static_cast<unsigned char>(c) < 0x20) throw std::runtime_error("raw control character in string");
      if (c != '\\') {
        out += c;
        continue;
      }
      char e = s_.at(pos_++);
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'u': out += static_cast<char>(std::stoi(s_.substr(pos_, 4), nullptr, 16)); pos_ += 4; break;
        default: out += e;
      }
    }
    expect('"');
    return out;
  }

  Json value() {
    Json v;
    char c = peek();
    if (c == '{') {
      v.type = Json::Type::Object;
      ++pos_;
      if (peek() == '}') return ++pos_, v;
      do {
        std::string key = string();
        expect(':');
        v.object[key] = value();
      } while (peek() == ',' && ++pos_);
      expect('}');
    } else if (c == '[') {
      v.type = Json::Type::Array;
      ++pos_;
      if (peek() == ']') return ++pos_, v;
      do v.array.push_back(value());
      while (peek() == ',' && ++pos_);
      expect(']');
    } else if (c == '"') {
      v.type = Json::Type::String;
      v.string = string();
    } else if (literal("true") || literal("false")) {
      v.type = Json::Type::Bool;
      v.boolean = s_[pos_ - 1] == 'e' && s_[pos_ - 2] == 'u';
    } else if (literal("null")) {
      v.type = Json::Type::Null;
    } else {
      size_t used = 0;
      v.type = Json::Type::Number;
      v.number = std::stoll(s_.substr(pos_), &used);
      pos_ += used;
    }
    return v;
  }

  const std::string& s_;
  size_t pos_ = 0;
};

}  // namespace conc::test
