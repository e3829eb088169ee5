#pragma once
// Keyset paging: rows come in `seq` order (insertion order, stable under
// concurrent inserts and deletes). The API turns `last_seq` into an opaque
// PageToken and passes it back as `after_seq`.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace callwire::store {

struct PageRequest {
  std::size_t page_size = 50;  // 1..1000 (the store clamps to that range)
  std::int64_t after_seq = 0;  // 0 = from the first row
};

template <class T>
struct Page {
  std::vector<T> items;
  bool has_more = false;       // at least one row follows this page
  std::int64_t last_seq = 0;   // seq of the last item (after_seq of the next page)
};

}  // namespace callwire::store
