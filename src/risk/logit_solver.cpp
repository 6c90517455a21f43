// src/risk/logit_solver.cpp — damped Newton for L2-penalised logistic losses with K unpenalised intercepts.
//
// Determinism: every sum has one fixed order, independent of the thread count and of the storage order of X.
// Rows are cut into blocks of kBlock rows (the unit of work a thread takes) and chunks of kChunk rows. Within a
// chunk, a row's linear predictor sums column j into lane j % 4 and adds the lanes as (0 + 1) + (2 + 3); a
// column's gradient sums even and odd rows in two lanes and adds them; the Hessian is computed from a
// column-major buffer of sqrt(d)-scaled rows built the same way for every storage order (a row-major chunk is
// transposed first), by Eigen's rank update or by eight-lane dot products; chunks add into their block in
// order, and blocks add up in block order. No OpenMP, no reduction whose order depends on scheduling.
//
// Speed: a pass over the rows is the unit of cost. Large problems start from the optimum of a strided
// subsample (solve_logit), then use its Hessian (wide designs) or exact Newton steps (narrow ones), and keep a
// Hessian once steps converge quadratically, so that most full passes compute a loss and a gradient only.
#include "logit_solver.hpp"

#include <Eigen/Cholesky>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "lien/core/error.hpp"

LIEN_BEGIN_NAMESPACE
namespace detail {
namespace {

constexpr Index kLanes = 8;
constexpr Index kChunk = 512;    // rows per kernel call; a multiple of kLanes
constexpr Index kBlock = 16384;  // rows per unit of thread work; a multiple of kChunk
constexpr Index kSmallHessian = 16;  // up to this many buffer columns, Hessian entries as dot products
constexpr int kMaxHalvings = 50;
constexpr double kArmijo = 1e-4;
// Switch from a kept Hessian to the exact one when a step shrinks the gradient less than this ...
constexpr double kSlowContraction = 0.25;
// ... and keep the exact one when a step shrinks the gradient more than this.
constexpr double kFreeze = 0.01;

enum class Need { loss, gradient, hessian };
enum class Layout { col_contiguous, row_contiguous, strided };

inline double tree8(const double* a) { return ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7])); }

struct Partial {
  double loss = 0.0;
  Vector grad;
  Matrix hess;  // lower triangle
};

struct Workspace {
  Vector eta, r, d, sd;
  std::vector<double> lanes;  // lanes of partial sums: max(2 p, 4 kChunk)
  Matrix buffer;                   // kChunk x (K <= 1 ? K + p : p): sqrt(d)-scaled rows, for the Hessian
  std::vector<double> transposed;  // kChunk x p, column-major: a row-major chunk for a Hessian pass
};

class Evaluator {
 public:
  Evaluator(const LogitProblem& pb, int threads) : pb_(pb), n_(pb.X.rows()), p_(pb.X.cols()), K_(pb.groups) {
    D_ = K_ + p_;
    if (pb.X.row_stride() == 1 || n_ == 1)
      layout_ = Layout::col_contiguous;
    else if (pb.X.col_stride() == 1 || p_ == 1)
      layout_ = Layout::row_contiguous;
    else
      layout_ = Layout::strided;
    blocks_ = (n_ + kBlock - 1) / kBlock;
    threads_ = static_cast<int>(std::max<Index>(1, std::min<Index>(threads, blocks_)));
    partials_.resize(static_cast<std::size_t>(blocks_));
    work_.resize(static_cast<std::size_t>(threads_));
    for (auto& ws : work_) {
      ws.eta.resize(kChunk), ws.r.resize(kChunk), ws.d.resize(kChunk), ws.sd.resize(kChunk);
      ws.lanes.resize(static_cast<std::size_t>(std::max(2 * p_, 4 * kChunk)));
      if (layout_ == Layout::row_contiguous) ws.transposed.resize(static_cast<std::size_t>(kChunk * p_));
    }
    weight_sum_ = 0.0;
    if (pb.w) {
      for (Index i = 0; i < n_; ++i) weight_sum_ += pb.w[i];
    } else {
      weight_sum_ = static_cast<double>(n_);
    }
  }

  /// L, gradient (need >= gradient) and lower-triangular Hessian (need == hessian) at theta.
  void evaluate(const Vector& theta, Need need, double& loss, Vector& grad, Matrix& hess) {
    auto run = [&](int t) {
      for (Index b = t; b < blocks_; b += threads_) block(b, theta, need, partials_[static_cast<std::size_t>(b)],
                                                         work_[static_cast<std::size_t>(t)]);
    };
    if (threads_ == 1) {
      run(0);
    } else {
      std::vector<std::thread> pool;
      pool.reserve(static_cast<std::size_t>(threads_ - 1));
      int started = 1;
      try {
        for (; started < threads_; ++started) pool.emplace_back(run, started);
      } catch (const std::system_error&) {
        // No more threads to be had: this thread does the rest. Same blocks, same sums, same bits.
      }
      run(0);
      for (int t = started; t < threads_; ++t) run(t);
      for (auto& th : pool) th.join();
    }
    loss = 0.0;
    if (need != Need::loss) grad.setZero(D_);
    if (need == Need::hessian) hess.setZero(D_, D_);
    for (const Partial& part : partials_) {
      loss += part.loss;
      if (need != Need::loss) grad += part.grad;
      if (need == Need::hessian) hess.triangularView<Eigen::Lower>() += part.hess;
    }
    const double inv_w = 1.0 / weight_sum_;
    const auto beta = theta.tail(p_);
    loss = loss * inv_w + 0.5 * pb_.l2 * beta.squaredNorm();
    if (need != Need::loss) {
      grad *= inv_w;
      grad.tail(p_) += pb_.l2 * beta;
    }
    if (need == Need::hessian) {
      hess.triangularView<Eigen::Lower>() *= inv_w;
      hess.diagonal().tail(p_).array() += pb_.l2;
    }
  }

 private:
  void block(Index b, const Vector& theta, Need need, Partial& out, Workspace& ws) const {
    const Index begin = b * kBlock;
    const Index end = std::min(n_, begin + kBlock);
    out.loss = 0.0;
    if (need != Need::loss) out.grad.setZero(D_);
    if (need == Need::hessian) out.hess.setZero(D_, D_);
    for (Index r0 = begin; r0 < end; r0 += kChunk) {
      const Index m = std::min(kChunk, end - r0);
      const MatrixView& X = pb_.X;
      const double* x0 = X.data() + r0 * X.row_stride();
      switch (layout_) {
        case Layout::col_contiguous:
          chunk<Layout::col_contiguous>(r0, m, x0, 1, X.col_stride(), theta, need, out, ws);
          break;
        case Layout::row_contiguous:
          if (need == Need::hessian) {
            // The Hessian wants columns: transpose the chunk once and run the column kernel, whose sums
            // are the same as the row kernel's.
            double* t = ws.transposed.data();
            for (Index i = 0; i < m; ++i)
              for (Index j = 0; j < p_; ++j) t[j * m + i] = x0[i * X.row_stride() + j];
            chunk<Layout::col_contiguous>(r0, m, t, 1, m, theta, need, out, ws);
          } else {
            chunk<Layout::row_contiguous>(r0, m, x0, X.row_stride(), 1, theta, need, out, ws);
          }
          break;
        case Layout::strided:
          chunk<Layout::strided>(r0, m, x0, X.row_stride(), X.col_stride(), theta, need, out, ws);
          break;
      }
    }
  }

  /// Rows r0 .. r0+m-1, whose element (i, j) is x0[i * rs + j * cs].
  template <Layout L>
  void chunk(Index r0, Index m, const double* x0, Index rs_, Index cs_, const Vector& theta, Need need, Partial& out,
             Workspace& ws) const {
    const Index rs = L == Layout::col_contiguous ? 1 : rs_;
    const Index cs = L == Layout::row_contiguous ? 1 : cs_;
    const double* beta = theta.data() + K_;
    double* eta = ws.eta.data();

    // Linear predictor: column j goes to lane j % 4, lanes summed in column order from 0, then
    // (l0 + l1) + (l2 + l3). The row-contiguous kernel runs the lanes across a row, the others keep four
    // arrays of partial sums; the arithmetic is the same.
    if (L == Layout::row_contiguous) {
      for (Index i = 0; i < m; ++i) {
        const double* a = x0 + i * rs;
        double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
        Index j = 0;
        for (; j + 4 <= p_; j += 4) {
          s0 += beta[j] * a[j];
          s1 += beta[j + 1] * a[j + 1];
          s2 += beta[j + 2] * a[j + 2];
          s3 += beta[j + 3] * a[j + 3];
        }
        if (j < p_) s0 += beta[j] * a[j];
        if (j + 1 < p_) s1 += beta[j + 1] * a[j + 1];
        if (j + 2 < p_) s2 += beta[j + 2] * a[j + 2];
        eta[i] = (s0 + s1) + (s2 + s3);
      }
    } else {
      double* e = ws.lanes.data();  // 4 x kChunk partial sums
      std::fill(e, e + 4 * kChunk, 0.0);
      for (Index j = 0; j < p_; ++j) {
        const double bj = beta[j];
        const double* c = x0 + j * cs;
        double* lane = e + (j & 3) * kChunk;
        for (Index i = 0; i < m; ++i) lane[i] += bj * c[i * rs];
      }
      for (Index i = 0; i < m; ++i) eta[i] = (e[i] + e[kChunk + i]) + (e[2 * kChunk + i] + e[3 * kChunk + i]);
    }
    const std::int32_t* g = pb_.group ? pb_.group + r0 : nullptr;
    if (K_ == 1) {
      const double a0 = theta[0];
      for (Index i = 0; i < m; ++i) eta[i] += a0;
    } else if (K_ > 1) {
      for (Index i = 0; i < m; ++i) eta[i] += theta[g[i]];
    }

    // Per-row loss, residual r = w (mu - y) and curvature d = w mu (1 - mu), from z = exp(-|eta|) so that
    // nothing overflows: mu = 1 / (1 + z) or z / (1 + z) by the sign of eta, mu (1 - mu) = z / (1 + z)^2,
    // softplus(eta) = max(eta, 0) + log1p(z). No branch on the sign (it is a coin toss per row): both values
    // are computed and one is selected.
    const double* y = pb_.y + r0;
    const double* w = pb_.w ? pb_.w + r0 : nullptr;
    double* r = ws.r.data();
    double* d = ws.d.data();
    double* lrow = ws.sd.data();  // per-row losses, summed in order below (sd is free until the Hessian)
    for (Index i = 0; i < m; ++i) {
      const double e = eta[i];
      const double z = std::exp(-std::abs(e));
      const double inv = 1.0 / (1.0 + z);
      const double zinv = z * inv;
      const double mu = e >= 0.0 ? inv : zinv;
      const double softplus = (e > 0.0 ? e : 0.0) + std::log1p(z);
      const double wi = w ? w[i] : 1.0;
      lrow[i] = wi * (softplus - y[i] * e);
      r[i] = wi * (mu - y[i]);
      d[i] = wi * (zinv * inv);
    }
    double loss = out.loss;
    for (Index i = 0; i < m; ++i) loss += lrow[i];
    out.loss = loss;
    if (need == Need::loss) return;

    // Gradient.
    if (K_ == 1) {
      double a[kLanes] = {};
      add_lanes(r, m, a);
      out.grad[0] += tree8(a);
    } else if (K_ > 1) {
      for (Index i = 0; i < m; ++i) out.grad[g[i]] += r[i];
    }
    // Covariate gradient: rows alternate between two lanes (even, odd), summed in row order, then added.
    if (L == Layout::row_contiguous) {
      double* l0 = ws.lanes.data();
      double* l1 = l0 + p_;
      std::fill(l0, l0 + 2 * p_, 0.0);
      Index i = 0;
      for (; i + 2 <= m; i += 2) {
        const double* a = x0 + i * rs;
        const double* b = a + rs;
        const double ra = r[i], rb = r[i + 1];
        for (Index j = 0; j < p_; ++j) {
          l0[j] += ra * a[j];
          l1[j] += rb * b[j];
        }
      }
      if (i < m) {
        const double* a = x0 + i * rs;
        for (Index j = 0; j < p_; ++j) l0[j] += r[i] * a[j];
      }
      for (Index j = 0; j < p_; ++j) out.grad[K_ + j] += l0[j] + l1[j];
    } else {
      Index j = 0;
      for (; j + 4 <= p_; j += 4) {  // four columns at a time: eight independent chains
        const double* c0 = x0 + j * cs;
        const double* c1 = c0 + cs;
        const double* c2 = c1 + cs;
        const double* c3 = c2 + cs;
        double a0 = 0, b0 = 0, a1 = 0, b1 = 0, a2 = 0, b2 = 0, a3 = 0, b3 = 0;
        Index i = 0;
        for (; i + 2 <= m; i += 2) {
          const double ra = r[i], rb = r[i + 1];
          const Index ia = i * rs, ib = ia + rs;
          a0 += ra * c0[ia], b0 += rb * c0[ib];
          a1 += ra * c1[ia], b1 += rb * c1[ib];
          a2 += ra * c2[ia], b2 += rb * c2[ib];
          a3 += ra * c3[ia], b3 += rb * c3[ib];
        }
        if (i < m) {
          const Index ia = i * rs;
          a0 += r[i] * c0[ia], a1 += r[i] * c1[ia], a2 += r[i] * c2[ia], a3 += r[i] * c3[ia];
        }
        out.grad[K_ + j] += a0 + b0;
        out.grad[K_ + j + 1] += a1 + b1;
        out.grad[K_ + j + 2] += a2 + b2;
        out.grad[K_ + j + 3] += a3 + b3;
      }
      for (; j < p_; ++j) {
        const double* c = x0 + j * cs;
        double a0 = 0, b0 = 0;
        Index i = 0;
        for (; i + 2 <= m; i += 2) a0 += r[i] * c[i * rs], b0 += r[i + 1] * c[(i + 1) * rs];
        if (i < m) a0 += r[i] * c[i * rs];
        out.grad[K_ + j] += a0 + b0;
      }
    }
    if (need != Need::hessian) return;

    // Hessian: the lower triangle of B'B, B the sqrt(d)-scaled rows (with a leading sqrt(d) column for a
    // single intercept): one Eigen rank-m update when B is wide, else one eight-lane dot product per entry
    // (Eigen's packing costs more than the work for a handful of columns). K > 1 intercept blocks are
    // accumulated row by row; their cross terms with beta are contiguous in the column-major Hessian.
    double* sd = ws.sd.data();
    for (Index i = 0; i < m; ++i) sd[i] = std::sqrt(d[i]);
    const Index lead = K_ == 1 ? 1 : 0;
    const Index q = lead + p_;
    ws.buffer.resize(m, q);
    if (lead) ws.buffer.col(0) = ws.sd.head(m);
    for (Index j = 0; j < p_; ++j) {
      double* dst = ws.buffer.col(lead + j).data();
      const double* c = x0 + j * cs;
      for (Index i = 0; i < m; ++i) dst[i] = sd[i] * c[i * rs];
    }
    const Index first = K_ > 1 ? K_ : 0;  // where B's columns sit in the Hessian
    if (K_ > 1) {
      const Index D = out.hess.rows();
      double* h = out.hess.data();
      for (Index i = 0; i < m; ++i) {
        double* col = h + g[i] * D;  // column g[i]: (g, g), then rows K .. K+p-1
        col[g[i]] += d[i];
        const double di = d[i];
        const double* xi = x0 + i * rs;
        for (Index j = 0; j < p_; ++j) col[K_ + j] += di * xi[j * cs];
      }
    }
    if (q > kSmallHessian) {
      out.hess.block(first, first, q, q).selfadjointView<Eigen::Lower>().rankUpdate(ws.buffer.adjoint());
    } else {
      for (Index u = 0; u < q; ++u) {
        const double* bu = ws.buffer.col(u).data();
        for (Index v = 0; v <= u; ++v) {
          const double* bv = ws.buffer.col(v).data();
          double a[kLanes] = {};  // eight lanes: four independent packed chains
          Index i = 0;
          for (; i + kLanes <= m; i += kLanes)
            for (Index k = 0; k < kLanes; ++k) a[k] += bu[i + k] * bv[i + k];
          for (; i < m; ++i) a[i % kLanes] += bu[i] * bv[i];
          out.hess(first + u, first + v) += tree8(a);
        }
      }
    }
  }

  static void add_lanes(const double* v, Index m, double* a) {
    Index i = 0;
    for (; i + kLanes <= m; i += kLanes)
      for (Index k = 0; k < kLanes; ++k) a[k] += v[i + k];
    for (; i < m; ++i) a[i % kLanes] += v[i];
  }

  const LogitProblem& pb_;
  Index n_, p_;
  int K_;
  Index D_ = 0;
  Layout layout_ = Layout::strided;
  Index blocks_ = 0;
  int threads_ = 1;
  double weight_sum_ = 0.0;
  std::vector<Partial> partials_;
  std::vector<Workspace> work_;
};

double max_abs(const Vector& v) { return v.size() ? v.cwiseAbs().maxCoeff() : 0.0; }

/// Cholesky of a symmetric matrix given by its lower triangle; adds a growing ridge when the matrix is not
/// numerically positive definite (a saturated or collinear design without penalty). False when hopeless.
bool factorise(const Matrix& lower, Eigen::LLT<Matrix>& llt) {
  Matrix h = lower.selfadjointView<Eigen::Lower>();
  if (!h.allFinite()) return false;
  llt.compute(h);
  if (llt.info() == Eigen::Success) return true;
  const double scale = std::max(1.0, h.diagonal().cwiseAbs().maxCoeff());
  for (double ridge = 1e-12; ridge <= 1e-2; ridge *= 100.0) {
    Matrix hr = h;
    hr.diagonal().array() += ridge * scale;
    llt.compute(hr);
    if (llt.info() == Eigen::Success) return true;
  }
  return false;
}

/// Starting point: each intercept at the logit of its group's weighted mean target, coefficients at 0.
Vector initial_theta(const LogitProblem& pb) {
  const Index p = pb.X.cols();
  Vector theta = Vector::Zero(pb.groups + p);
  if (pb.groups == 0) return theta;
  std::vector<double> num(static_cast<std::size_t>(pb.groups), 0.0), den(static_cast<std::size_t>(pb.groups), 0.0);
  for (Index i = 0; i < pb.X.rows(); ++i) {
    const std::size_t k = pb.group ? static_cast<std::size_t>(pb.group[i]) : 0;
    const double wi = pb.w ? pb.w[i] : 1.0;
    num[k] += wi * pb.y[i];
    den[k] += wi;
  }
  for (int k = 0; k < pb.groups; ++k) {
    const std::size_t kk = static_cast<std::size_t>(k);
    if (!(den[kk] > 0.0)) continue;
    const double q = std::min(1.0 - 1e-9, std::max(1e-9, num[kk] / den[kk]));
    theta[k] = std::log(q / (1.0 - q));
  }
  return theta;
}

struct NewtonResult {
  Vector theta;
  Matrix hess;  // lower triangle of the last Hessian computed: at theta, or at the iterate before it
  bool has_hess = false;
  FitReport report;
  bool nonfinite_at_start = false;
};

enum class Metric {
  exact,  ///< the Hessian at every iterate
  fixed   ///< a given matrix (the subsample's Hessian)
};

/// Damped Newton from theta. With a fixed metric, steps use it until a step shrinks the gradient by less than
/// kSlowContraction, then the exact Hessian is computed every step; exact steps keep their Hessian once a
/// step shrinks the gradient by more than kFreeze.
NewtonResult newton(Evaluator& ev, Vector theta, const SolverOptions& opt, Metric metric,
                    const Matrix* fixed = nullptr) {
  NewtonResult res;
  FitReport& rep = res.report;
  bool exact = metric == Metric::exact;
  double L = 0.0;
  Vector g, gc;
  Matrix H, Hc;
  ev.evaluate(theta, metric == Metric::fixed ? Need::gradient : Need::hessian, L, g, H);
  ++rep.passes;
  if (!std::isfinite(L) || !g.allFinite()) {
    res.nonfinite_at_start = true;
    rep.info = FitInfo::numerical_issue;
    res.theta = std::move(theta);
    return res;
  }
  Eigen::LLT<Matrix> llt;
  if (!exact && !factorise(*fixed, llt)) {
    exact = true;
    ev.evaluate(theta, Need::hessian, L, g, H);
    ++rep.passes;
  }
  rep.info = FitInfo::no_convergence;
  for (;;) {
    const double gmax = max_abs(g);
    if (gmax <= opt.gradient_tolerance) {
      rep.info = FitInfo::success;
      break;
    }
    if (rep.iterations >= opt.max_iterations) break;
    if (exact && !factorise(H, llt)) {
      rep.info = FitInfo::numerical_issue;
      break;
    }
    const Vector step = -llt.solve(g);
    const double slope = g.dot(step);
    if (!(slope < 0.0) || !step.allFinite()) {
      if (!exact) {  // the subsample's curvature is useless here: go exact
        exact = true;
        ev.evaluate(theta, Need::hessian, L, g, H);
        ++rep.passes;
        continue;
      }
      rep.info = FitInfo::numerical_issue;
      break;
    }
    // Relative loss change: the Newton decrement g' H^-1 g / 2 is the decrease the quadratic model still
    // expects; below loss_tolerance max(|L|, 1) there is nothing left worth a step.
    const double scale = std::max(1.0, std::abs(L));
    if (-0.5 * slope <= opt.loss_tolerance * scale) {
      rep.info = FitInfo::success;
      break;
    }
    // Below `noise` a change of L is rounding: there a step is accepted when it shrinks the gradient.
    const double noise = 64.0 * std::numeric_limits<double>::epsilon() * scale;
    double t = 1.0, Lc = 0.0;
    Vector cand;
    bool accepted = false;
    for (int h = 0; h <= kMaxHalvings && !accepted; ++h, t *= 0.5) {
      cand = theta + t * step;
      ev.evaluate(cand, exact ? Need::hessian : Need::gradient, Lc, gc, Hc);
      ++rep.passes;
      if (!std::isfinite(Lc) || !gc.allFinite()) continue;
      accepted = Lc <= L + kArmijo * t * slope || (-t * slope <= noise && max_abs(gc) < gmax);
      if (!accepted && -t * slope <= noise) break;  // halving further cannot help
    }
    if (!accepted) {
      // Only rounding is left (a stationary point to working precision), or the direction is unusable.
      rep.info = -slope <= noise ? FitInfo::success : FitInfo::numerical_issue;
      break;
    }
    ++rep.iterations;
    theta.swap(cand);
    L = Lc;
    g.swap(gc);
    if (exact) H.swap(Hc);
    if (exact && max_abs(g) <= kFreeze * gmax) {
      // Deep in the quadratic regime the Hessian hardly moves any more: keep this one, and let the next
      // passes compute gradients only.
      if (factorise(H, llt)) exact = false;
    } else if (!exact && max_abs(g) > kSlowContraction * gmax && max_abs(g) > opt.gradient_tolerance) {
      exact = true;
      ev.evaluate(theta, Need::hessian, L, g, H);
      ++rep.passes;
    }
  }
  rep.loss = L;
  rep.gradient_max = max_abs(g);
  res.theta = std::move(theta);
  res.has_hess = H.size() != 0;  // the last Hessian computed: at theta, or at the iterate before
  if (res.has_hess) res.hess = std::move(H);
  return res;
}

}  // namespace

void check_solver_options(const SolverOptions& o, const char* where) {
  const auto bad = [&](const char* field, const std::string& why) {
    throw InvalidArgument(std::string(where) + ": solver option " + field + " " + why);
  };
  if (o.max_iterations < 0) bad("max_iterations", "is negative");
  if (!(o.gradient_tolerance >= 0.0) || !std::isfinite(o.gradient_tolerance))
    bad("gradient_tolerance", "must be a finite value >= 0");
  if (!(o.loss_tolerance >= 0.0) || !std::isfinite(o.loss_tolerance)) bad("loss_tolerance", "must be a finite value >= 0");
  if (o.threads < 1) bad("threads", "must be at least 1");
  if (o.hessian_rows > static_cast<std::size_t>(1) << 40) bad("hessian_rows", "is absurdly large");
}

void check_l2(double l2, const char* where) {
  if (!(l2 >= 0.0) || !std::isfinite(l2))
    throw InvalidArgument(std::string(where) + ": l2 must be a finite value >= 0, got " + std::to_string(l2));
}

LogitSolution solve_logit(const LogitProblem& pb, const SolverOptions& opt) {
  Eigen::initParallel();
  LogitSolution out;
  const Index n = pb.X.rows();
  const Index p = pb.X.cols();
  // A narrow design (few Hessian columns besides the intercepts) has a Hessian barely dearer than its
  // gradient: the subsample then only provides the starting point, is a quarter of the size, and the full
  // data gets exact Newton steps. A wide one keeps the subsample's Hessian as its metric. (Keeping the full
  // data's Hessian at the warm start instead converges slowly: thin baseline bins move it too much.)
  const bool narrow = (pb.groups == 1 ? 1 : 0) + p <= kSmallHessian;
  // At least 256 rows per intercept, so that every baseline bin is seen in the subsample.
  const Index m = opt.hessian_rows == 0 ? 0
                                        : std::max<Index>(static_cast<Index>(opt.hessian_rows) / (narrow ? 4 : 1),
                                                          256 * std::max(1, pb.groups));

  Matrix hs;  // the subsample's Hessian at its optimum
  bool warm = false;
  Vector theta;
  int sub_iterations = 0;
  if (m > 0 && n > 2 * static_cast<Index>(opt.hessian_rows) && n > 2 * m) {
    // Strided subsample: rows floor(j n / m), j = 0..m-1.
    Matrix Xs(m, p);
    Vector ys(m), ws;
    IntVector gs;
    if (pb.w) ws.resize(m);
    if (pb.group) gs.resize(m);
    for (Index j = 0; j < m; ++j) {
      const Index i = static_cast<Index>((static_cast<long double>(j) * n) / m);
      const double* row = pb.X.row(i);
      for (Index c = 0; c < p; ++c) Xs(j, c) = row[c * pb.X.col_stride()];
      ys[j] = pb.y[i];
      if (pb.w) ws[j] = pb.w[i];
      if (pb.group) gs[j] = pb.group[i];
    }
    LogitProblem sub = pb;
    sub.X = MatrixView(Xs);
    sub.y = ys.data();
    sub.w = pb.w ? ws.data() : nullptr;
    sub.group = pb.group ? gs.data() : nullptr;
    SolverOptions so = opt;
    so.hessian_rows = 0;
    Evaluator sev(sub, opt.threads);
    NewtonResult sr = newton(sev, initial_theta(sub), so, Metric::exact);
    if (sr.nonfinite_at_start) {
      out.nonfinite_at_start = true;
      out.theta = std::move(sr.theta);
      out.report = sr.report;
      return out;
    }
    // A failed warm start (a subsample with one class, say) is simply not used.
    if (sr.report.info == FitInfo::success && sr.has_hess) {
      theta = std::move(sr.theta);
      hs = std::move(sr.hess);
      warm = true;
      sub_iterations = sr.report.iterations;
    }
  }
  if (!warm) theta = initial_theta(pb);
  Evaluator ev(pb, opt.threads);
  const Metric metric = warm && !narrow ? Metric::fixed : Metric::exact;
  NewtonResult r = newton(ev, std::move(theta), opt, metric, &hs);
  out.theta = std::move(r.theta);
  out.report = r.report;
  out.report.subsample_iterations = sub_iterations;
  out.nonfinite_at_start = r.nonfinite_at_start;
  return out;
}

}  // namespace detail
LIEN_END_NAMESPACE
