#include "analysis/faces/shape_model.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <new>
#include <string>

namespace cutroom::analysis {
namespace {

constexpr size_t kLine = 64 / sizeof(float);  // floats per cache line
// Trees ahead whose leaves are prefetched: enough to cover a memory miss with the adds of the
// trees in between (each add is ~20 vector instructions), measured best between 4 and 16.
constexpr size_t kPrefetchAhead = 8;
constexpr size_t kHugePage = size_t{2} << 20;

// Address space to reserve for the leaves of a model read from `in`: dlib writes a float in at
// least 2 bytes (a length byte each for mantissa and exponent), so the leaves take at most twice
// the stream's remaining bytes as floats, plus the padding to a cache line (< 1.5x for 68 points).
// Unknown length (a pipe): 4 GB, which costs nothing until written.
size_t LeafReserve(std::istream& in) {
  const std::streampos here = in.tellg();
  if (here != std::streampos(-1) && in.seekg(0, std::ios::end)) {
    const std::streampos end = in.tellg();
    in.seekg(here);
    if (end != std::streampos(-1) && end >= here) {
      return 3 * static_cast<size_t>(end - here) + kHugePage;
    }
  }
  in.clear();
  return size_t{4} << 30;
}

// dlib::impl::regression_tree::operator() without returning the leaf: the same walk.
size_t LeafOf(const std::vector<dlib::impl::split_feature>& splits, const std::vector<float>& pixels) {
  size_t i = 0;
  while (i < splits.size()) {
    const auto& s = splits[i];
    i = pixels[s.idx1] - pixels[s.idx2] > s.thresh ? 2 * i + 1 : 2 * i + 2;
  }
  return i - splits.size();
}

}  // namespace

ShapeModel::LeafArena::~LeafArena() {
  if (base_ != nullptr) munmap(base_, reserved_);
}

void ShapeModel::LeafArena::Reserve(size_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                 -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  // Huge pages where the kernel allows them: 7,500 scattered reads per prediction otherwise miss
  // the TLB as well as the cache. Advice only: a refusal changes nothing but speed.
  madvise(p, bytes, MADV_HUGEPAGE);
  base_ = static_cast<float*>(p);
  reserved_ = bytes;
  used_ = 0;
}

float* ShapeModel::LeafArena::Append(size_t floats) {
  const size_t bytes = floats * sizeof(float);
  if (bytes > reserved_ - used_) throw dlib::serialization_error("shape_predictor is too large");
  float* out = base_ + used_ / sizeof(float);
  used_ += bytes;
  return out;
}

void ShapeModel::LeafArena::Shrink() {
  const size_t keep = std::max(kHugePage, (used_ + kHugePage - 1) / kHugePage * kHugePage);
  if (keep < reserved_) {
    munmap(reinterpret_cast<char*>(base_) + keep, reserved_ - keep);
    reserved_ = keep;
  }
}

void ShapeModel::Deserialize(std::istream& in) {
  int version = 0;
  dlib::deserialize(version, in);
  if (version != 1) {
    throw dlib::serialization_error("unexpected shape_predictor version " + std::to_string(version));
  }
  dlib::deserialize(initial_shape_, in);
  const size_t shape_size = static_cast<size_t>(initial_shape_.size());
  if (shape_size == 0 || shape_size % 2 != 0) {
    throw dlib::serialization_error("shape_predictor initial shape has an odd or empty size");
  }
  stride_ = (shape_size + kLine - 1) / kLine * kLine;

  // The forests, one cascade at a time (dlib's std::vector format: a size, then the items), each
  // packed as soon as it is read, so that at most one cascade exists twice.
  unsigned long cascades = 0;
  dlib::deserialize(cascades, in);
  if (cascades > 1000) throw dlib::serialization_error("shape_predictor has too many cascades");
  forests_.assign(cascades, {});
  leaves_.Reserve(LeafReserve(in));
  for (unsigned long c = 0; c < cascades; ++c) {
    std::vector<dlib::impl::regression_tree> read;
    dlib::deserialize(read, in);
    for (const auto& tree : read) {
      if (tree.leaf_values.size() != tree.splits.size() + 1) {
        throw dlib::serialization_error("shape_predictor tree has the wrong number of leaves");
      }
      for (const auto& leaf : tree.leaf_values) {
        if (static_cast<size_t>(leaf.size()) != shape_size) {
          throw dlib::serialization_error("shape_predictor leaf has the wrong size");
        }
      }
    }
    forests_[c].reserve(read.size());
    for (auto& tree : read) {
      float* out = leaves_.Append(tree.leaf_values.size() * stride_);
      forests_[c].push_back(Tree{std::move(tree.splits), static_cast<size_t>(out - leaves_.data())});
      for (const auto& leaf : tree.leaf_values) {
        std::copy(leaf.begin(), leaf.end(), out);
        std::fill(out + shape_size, out + stride_, 0.0f);
        out += stride_;
      }
    }
  }
  leaves_.Shrink();
  dlib::deserialize(anchor_idx_, in);
  dlib::deserialize(deltas_, in);
  if (anchor_idx_.size() != cascades || deltas_.size() != cascades) {
    throw dlib::serialization_error("shape_predictor cascades disagree in number");
  }
  for (unsigned long c = 0; c < cascades; ++c) {
    if (anchor_idx_[c].size() != deltas_[c].size()) {
      throw dlib::serialization_error("shape_predictor feature anchors and offsets disagree");
    }
    for (unsigned long a : anchor_idx_[c]) {
      if (a >= shape_size / 2) throw dlib::serialization_error("shape_predictor anchor out of range");
    }
    for (const Tree& tree : forests_[c]) {
      for (const auto& s : tree.splits) {
        if (s.idx1 >= anchor_idx_[c].size() || s.idx2 >= anchor_idx_[c].size()) {
          throw dlib::serialization_error("shape_predictor split feature out of range");
        }
      }
    }
  }
}

dlib::full_object_detection ShapeModel::operator()(const dlib::array2d<unsigned char>& img,
                                                   const dlib::rectangle& rect) const {
  const long n = initial_shape_.size();
  dlib::matrix<float, 0, 1> current = initial_shape_;
  std::vector<float> pixels;
  std::vector<const float*> chosen;
  for (size_t c = 0; c < forests_.size(); ++c) {
    dlib::impl::extract_feature_pixel_values(img, rect, current, initial_shape_, anchor_idx_[c],
                                             deltas_[c], pixels);
    const auto& forest = forests_[c];
    chosen.resize(forest.size());
    for (size_t t = 0; t < forest.size(); ++t) {
      chosen[t] = leaves_.data() + forest[t].first_leaf + LeafOf(forest[t].splits, pixels) * stride_;
    }
    auto prefetch = [&](size_t t) {
      for (size_t k = 0; k < stride_; k += kLine) __builtin_prefetch(chosen[t] + k);
    };
    for (size_t t = 0; t < std::min(kPrefetchAhead, chosen.size()); ++t) prefetch(t);
    float* shape = &current(0);
    for (size_t t = 0; t < chosen.size(); ++t) {
      if (t + kPrefetchAhead < chosen.size()) prefetch(t + kPrefetchAhead);
      const float* leaf = chosen[t];
      for (long i = 0; i < n; ++i) shape[i] += leaf[i];  // dlib's `current_shape += leaf`
    }
  }
  const dlib::point_transform_affine to_image = dlib::impl::unnormalizing_tform(rect);
  std::vector<dlib::point> parts(static_cast<size_t>(n / 2));
  for (size_t i = 0; i < parts.size(); ++i) parts[i] = to_image(dlib::impl::location(current, i));
  return dlib::full_object_detection(rect, parts);
}

}  // namespace cutroom::analysis
