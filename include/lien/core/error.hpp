// lien/core/error.hpp — the exceptions the C++ engine throws, one per failure class.
//
// The C API maps each class onto a lien_status code and the Python module onto an exception class
// (lien.Error, lien.ParseError, ...), so the three faces report the same failure the same way.
// Messages name what and where (file, line, field, id) and never carry personal fields.
#pragma once

#include <new>
#include <stdexcept>
#include <string>

#include "lien/core/config.hpp"

LIEN_BEGIN_NAMESPACE

enum class ErrorCode : int {
  invalid_argument = 1,  ///< a caller passed something lien cannot accept (bad option, bad id)
  not_found,             ///< an id, file or entry that does not exist
  parse_error,           ///< input that could not be read at all (not per-record rejections)
  model_incompatible,    ///< a model file from another version, with a bad checksum or unknown features
  io_error,              ///< the operating system refused a read or a write
  out_of_memory,         ///< an allocation failed
  internal               ///< a bug in lien: please report it
};

/// Base of every lien exception.
class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& what) : std::runtime_error(what), code_(code) {}
  ErrorCode code() const noexcept { return code_; }

 private:
  ErrorCode code_;
};

class InvalidArgument : public Error {
 public:
  explicit InvalidArgument(const std::string& what) : Error(ErrorCode::invalid_argument, what) {}
};
class NotFound : public Error {
 public:
  explicit NotFound(const std::string& what) : Error(ErrorCode::not_found, what) {}
};
class ParseError : public Error {
 public:
  explicit ParseError(const std::string& what) : Error(ErrorCode::parse_error, what) {}
};
class ModelError : public Error {
 public:
  explicit ModelError(const std::string& what) : Error(ErrorCode::model_incompatible, what) {}
};
class IoError : public Error {
 public:
  explicit IoError(const std::string& what) : Error(ErrorCode::io_error, what) {}
};
/// An allocation failed (std::bad_alloc, or a size beyond what a container can hold) while doing `what`.
class OutOfMemory : public Error {
 public:
  explicit OutOfMemory(const std::string& what) : Error(ErrorCode::out_of_memory, what) {}
};
class InternalError : public Error {
 public:
  explicit InternalError(const std::string& what) : Error(ErrorCode::internal, what) {}
};

/// Runs f(); an allocation failure inside it becomes OutOfMemory("<what>: out of memory ..."), so that the
/// entry points that read outside input (readers, model and playbook loaders) report a huge input as a lien
/// error the caller can handle, not as a bare std::bad_alloc.
template <class F>
decltype(auto) out_of_memory_as_error(const char* what, F&& f) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    throw OutOfMemory(std::string(what) + ": out of memory (the input is too large for the memory available)");
  } catch (const std::length_error&) {
    throw OutOfMemory(std::string(what) + ": out of memory (a size beyond what a container can hold)");
  }
}

LIEN_END_NAMESPACE
