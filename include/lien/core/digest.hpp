// lien/core/digest.hpp — SHA-1, SHA-256 and HMAC-SHA-256, for the few places lien needs a standard digest:
// matching xAPI `mbox_sha1sum` actors, model file checksums, and keyed pseudonymisation of learner ids.
// Small and dependency-free on purpose (FIPS 180-4, RFC 2104); checked against Python's hashlib in the tests.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "lien/core/config.hpp"

LIEN_BEGIN_NAMESPACE

namespace detail {
inline std::uint32_t rotl(std::uint32_t x, int n) noexcept { return (x << n) | (x >> (32 - n)); }
inline std::uint32_t rotr(std::uint32_t x, int n) noexcept { return (x >> n) | (x << (32 - n)); }

/// Merkle–Damgård padding shared by SHA-1 and SHA-256: feeds 64-byte blocks to `block`.
template <class Block>
void md_pad(const unsigned char* data, std::size_t n, std::uint64_t total_bits, Block&& block) {
  std::size_t i = 0;
  for (; i + 64 <= n; i += 64) block(data + i);
  unsigned char tail[128] = {};
  const std::size_t rest = n - i;
  std::memcpy(tail, data + i, rest);
  tail[rest] = 0x80;
  const std::size_t len = rest + 1 + 8 <= 64 ? 64 : 128;
  for (int k = 0; k < 8; ++k) tail[len - 1 - k] = static_cast<unsigned char>(total_bits >> (8 * k));
  block(tail);
  if (len == 128) block(tail + 64);
}
inline std::uint32_t be32(const unsigned char* p) noexcept {
  return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
}
}  // namespace detail

inline std::array<unsigned char, 20> sha1(std::string_view in) {
  std::uint32_t h[5] = {0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u};
  auto block = [&](const unsigned char* p) {
    std::uint32_t w[80];
    for (int t = 0; t < 16; ++t) w[t] = detail::be32(p + 4 * t);
    for (int t = 16; t < 80; ++t) w[t] = detail::rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int t = 0; t < 80; ++t) {
      std::uint32_t f, k;
      if (t < 20) f = (b & c) | (~b & d), k = 0x5A827999u;
      else if (t < 40) f = b ^ c ^ d, k = 0x6ED9EBA1u;
      else if (t < 60) f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDCu;
      else f = b ^ c ^ d, k = 0xCA62C1D6u;
      const std::uint32_t tmp = detail::rotl(a, 5) + f + e + k + w[t];
      e = d, d = c, c = detail::rotl(b, 30), b = a, a = tmp;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
  };
  detail::md_pad(reinterpret_cast<const unsigned char*>(in.data()), in.size(),
                 static_cast<std::uint64_t>(in.size()) * 8, block);
  std::array<unsigned char, 20> out{};
  for (int i = 0; i < 5; ++i)
    for (int k = 0; k < 4; ++k) out[4 * i + k] = static_cast<unsigned char>(h[i] >> (24 - 8 * k));
  return out;
}

/// SHA-256 of the concatenation prefix + in (prefix lets HMAC avoid a copy).
inline std::array<unsigned char, 32> sha256(std::string_view in, std::string_view prefix = {}) {
  static constexpr std::uint32_t K[64] = {
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
      0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
      0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
      0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
      0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
      0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
      0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
      0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
  std::uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  auto block = [&](const unsigned char* p) {
    std::uint32_t w[64];
    for (int t = 0; t < 16; ++t) w[t] = detail::be32(p + 4 * t);
    for (int t = 16; t < 64; ++t) {
      const std::uint32_t s0 = detail::rotr(w[t - 15], 7) ^ detail::rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
      const std::uint32_t s1 = detail::rotr(w[t - 2], 17) ^ detail::rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int t = 0; t < 64; ++t) {
      const std::uint32_t S1 = detail::rotr(e, 6) ^ detail::rotr(e, 11) ^ detail::rotr(e, 25);
      const std::uint32_t ch = (e & f) ^ (~e & g);
      const std::uint32_t t1 = hh + S1 + ch + K[t] + w[t];
      const std::uint32_t S0 = detail::rotr(a, 2) ^ detail::rotr(a, 13) ^ detail::rotr(a, 22);
      const std::uint32_t mj = (a & b) ^ (a & c) ^ (b & c);
      const std::uint32_t t2 = S0 + mj;
      hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
  };
  if (prefix.empty()) {
    detail::md_pad(reinterpret_cast<const unsigned char*>(in.data()), in.size(),
                   static_cast<std::uint64_t>(in.size()) * 8, block);
  } else {
    std::string joined;
    joined.reserve(prefix.size() + in.size());
    joined.append(prefix).append(in);
    detail::md_pad(reinterpret_cast<const unsigned char*>(joined.data()), joined.size(),
                   static_cast<std::uint64_t>(joined.size()) * 8, block);
  }
  std::array<unsigned char, 32> out{};
  for (int i = 0; i < 8; ++i)
    for (int k = 0; k < 4; ++k) out[4 * i + k] = static_cast<unsigned char>(h[i] >> (24 - 8 * k));
  return out;
}

/// HMAC-SHA-256 (RFC 2104).
inline std::array<unsigned char, 32> hmac_sha256(std::string_view key, std::string_view message) {
  std::string k(64, '\0');
  if (key.size() > 64) {
    const auto kh = sha256(key);
    std::memcpy(&k[0], kh.data(), kh.size());
  } else {
    std::memcpy(&k[0], key.data(), key.size());
  }
  std::string ipad(64, '\0'), opad(64, '\0');
  for (int i = 0; i < 64; ++i) {
    ipad[i] = static_cast<char>(k[i] ^ 0x36);
    opad[i] = static_cast<char>(k[i] ^ 0x5c);
  }
  const auto inner = sha256(message, ipad);
  return sha256(std::string_view(reinterpret_cast<const char*>(inner.data()), inner.size()), opad);
}

template <std::size_t N>
std::string to_hex(const std::array<unsigned char, N>& d) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(2 * N, '0');
  for (std::size_t i = 0; i < N; ++i) {
    out[2 * i] = kHex[d[i] >> 4];
    out[2 * i + 1] = kHex[d[i] & 15];
  }
  return out;
}

/// The pseudonym of an id under a secret key (ReadOptions::pseudonymise_key): the lowercase hex of the first
/// 16 bytes of HMAC-SHA-256(key, id). The same key and id always give the same pseudonym, so tables and files
/// read with one key still join; without the key, ids cannot be recovered or checked against a guess.
inline std::string pseudonym(std::string_view key, std::string_view id) {
  const auto mac = hmac_sha256(key, id);
  std::array<unsigned char, 16> head{};
  std::memcpy(head.data(), mac.data(), head.size());
  return to_hex(head);
}

LIEN_END_NAMESPACE
