// benchmarks/npy.hpp — just enough of NumPy's .npy format (version 1/2, little-endian float64 / int32 / int64,
// C or Fortran order) for the benchmark drivers to hand the same arrays to NumPy peers and to lien.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace npy {

struct Array {
  std::string descr;               // "<f8", "<i4", "<i8"
  bool fortran = false;
  std::vector<std::int64_t> shape;
  std::vector<char> bytes;
  std::int64_t size() const {
    std::int64_t s = 1;
    for (auto d : shape) s *= d;
    return s;
  }
  template <class T>
  const T* as() const { return reinterpret_cast<const T*>(bytes.data()); }
};

[[noreturn]] inline void fail(const std::string& path, const std::string& why) {
  std::cerr << "npy: " << path << ": " << why << "\n";
  std::exit(2);
}

inline Array load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "cannot open");
  char magic[8];
  in.read(magic, 8);
  if (!in || std::memcmp(magic, "\x93NUMPY", 6) != 0) fail(path, "not a .npy file");
  std::uint32_t hlen = 0;
  if (magic[6] == 1) {
    unsigned char b[2];
    in.read(reinterpret_cast<char*>(b), 2);
    hlen = b[0] | (b[1] << 8);
  } else {
    unsigned char b[4];
    in.read(reinterpret_cast<char*>(b), 4);
    hlen = b[0] | (b[1] << 8) | (b[2] << 16) | (std::uint32_t(b[3]) << 24);
  }
  std::string header(hlen, '\0');
  in.read(&header[0], hlen);
  Array a;
  const auto d = header.find("'descr':");
  const auto q1 = header.find('\'', d + 8);
  const auto q2 = header.find('\'', q1 + 1);
  a.descr = header.substr(q1 + 1, q2 - q1 - 1);
  a.fortran = header.find("'fortran_order': True") != std::string::npos;
  const auto s1 = header.find('(', header.find("'shape':"));
  const auto s2 = header.find(')', s1);
  std::string dims = header.substr(s1 + 1, s2 - s1 - 1);
  for (std::size_t pos = 0; pos < dims.size();) {
    while (pos < dims.size() && (dims[pos] < '0' || dims[pos] > '9')) ++pos;
    if (pos >= dims.size()) break;
    std::int64_t v = 0;
    while (pos < dims.size() && dims[pos] >= '0' && dims[pos] <= '9') v = v * 10 + (dims[pos++] - '0');
    a.shape.push_back(v);
  }
  std::size_t item = a.descr == "<f8" || a.descr == "<i8" ? 8 : a.descr == "<i4" ? 4 : 0;
  if (item == 0) fail(path, "unsupported dtype " + a.descr);
  a.bytes.resize(static_cast<std::size_t>(a.size()) * item);
  in.read(a.bytes.data(), static_cast<std::streamsize>(a.bytes.size()));
  if (!in) fail(path, "truncated");
  return a;
}

/// Writes a C-ordered array of doubles with the given shape.
inline void save(const std::string& path, const double* data, const std::vector<std::int64_t>& shape) {
  std::string dims;
  std::int64_t n = 1;
  for (auto s : shape) dims += std::to_string(s) + ", ", n *= s;
  if (shape.size() > 1) dims.resize(dims.size() - 2);
  std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + dims + "), }";
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::ofstream out(path, std::ios::binary);
  if (!out) fail(path, "cannot write");
  out.write("\x93NUMPY\x01\x00", 8);
  const unsigned char len[2] = {static_cast<unsigned char>(header.size() & 0xff),
                                static_cast<unsigned char>(header.size() >> 8)};
  out.write(reinterpret_cast<const char*>(len), 2);
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(n * 8));
}

}  // namespace npy
