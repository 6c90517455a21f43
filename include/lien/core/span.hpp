// lien/core/span.hpp — a read-only view over contiguous elements (std::span arrives only in C++20).
#pragma once

#include <cstddef>
#include <vector>

#include "lien/core/config.hpp"

LIEN_BEGIN_NAMESPACE

template <class T>
class Span {
 public:
  constexpr Span() noexcept = default;
  constexpr Span(const T* data, std::size_t size) noexcept : data_(data), size_(size) {}
  Span(const std::vector<T>& v) noexcept : data_(v.data()), size_(v.size()) {}  // NOLINT: implicit by design

  constexpr const T* begin() const noexcept { return data_; }
  constexpr const T* end() const noexcept { return data_ + size_; }
  constexpr const T* data() const noexcept { return data_; }
  constexpr std::size_t size() const noexcept { return size_; }
  constexpr bool empty() const noexcept { return size_ == 0; }
  constexpr const T& operator[](std::size_t i) const noexcept { return data_[i]; }
  constexpr const T& front() const noexcept { return data_[0]; }
  constexpr const T& back() const noexcept { return data_[size_ - 1]; }

 private:
  const T* data_ = nullptr;
  std::size_t size_ = 0;
};

LIEN_END_NAMESPACE
