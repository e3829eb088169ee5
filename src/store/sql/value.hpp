#pragma once
// Bound parameters and result rows, shared by both backends. Statements are
// written once with $1..$n placeholders (PostgreSQL syntax; the SQLite
// backend rewrites them to ?1..?n). Values are always bound, never spliced
// into SQL text.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace callwire::store::sql {

class Value {
 public:
  enum class Type { Null, Integer, Text, Boolean };

  Value(std::nullptr_t) {}
  Value(std::int64_t v) : type_(Type::Integer), integer_(v) {}
  Value(int v) : type_(Type::Integer), integer_(v) {}
  Value(std::size_t v) : type_(Type::Integer), integer_(static_cast<std::int64_t>(v)) {}
  Value(bool v) : type_(Type::Boolean), integer_(v ? 1 : 0) {}
  Value(std::string_view v) : type_(Type::Text), text_(v) {}
  Value(const std::string& v) : type_(Type::Text), text_(v) {}
  Value(const char* v) : type_(Type::Text), text_(v) {}
  Value(const std::optional<std::string>& v) {
    if (v) {
      type_ = Type::Text;
      text_ = *v;
    }
  }

  Type type() const { return type_; }
  std::int64_t integer() const { return integer_; }
  bool boolean() const { return integer_ != 0; }
  std::string_view text() const { return text_; }

 private:
  Type type_ = Type::Null;
  std::int64_t integer_ = 0;
  std::string_view text_;  // must outlive the statement execution
};

// One result row; columns by zero-based index.
class Row {
 public:
  virtual ~Row() = default;
  virtual bool is_null(int column) const = 0;
  virtual std::int64_t integer(int column) const = 0;
  virtual std::string text(int column) const = 0;
  virtual bool boolean(int column) const = 0;

  std::optional<std::string> optional_text(int column) const {
    if (is_null(column)) return std::nullopt;
    return text(column);
  }
};

using RowFn = std::function<void(const Row&)>;

// Both backends refuse the same text: PostgreSQL cannot carry NUL bytes or
// invalid UTF-8, so SQLite refuses them too (Errc::Invalid) and a value that
// works on one backend works on the other.
Status check_text(std::string_view text);

}  // namespace callwire::store::sql
