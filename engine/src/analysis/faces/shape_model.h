// dlib's shape predictor (the cascade of regression trees of Kazemi and Sullivan, 2014) read from
// dlib's own file format and evaluated exactly as dlib::shape_predictor evaluates it, with its
// leaf vectors packed into one array and fetched ahead of use.
//
// Why: the 68-point model holds 15 cascades x 500 trees x 16 leaves of 136 floats (~65 MB), each
// leaf its own heap block. One prediction reads 7,500 leaves scattered over that memory, and
// dlib's loop stalls on every one of them (a profile of `cutroom analyze` put 62% of the
// predictor's time on the first add of each leaf). Here a cascade's leaf indices are found first
// (they depend only on the cascade's pixel features) and each leaf is prefetched a few trees
// before it is added. The adds happen in dlib's order, element by element, so the landmarks are
// bit-identical to dlib's (tested).
//
// Private to the faces adapter (it includes dlib). Thread safety: const methods may run on any
// number of threads at once.
#pragma once

#include <dlib/image_processing.h>

#include <cstddef>
#include <istream>
#include <vector>

namespace cutroom::analysis {

class ShapeModel {
 public:
  // Reads a model written by dlib::serialize(shape_predictor). Throws dlib::serialization_error
  // (a std::exception) on a wrong version or a malformed file.
  void Deserialize(std::istream& in);

  unsigned long num_parts() const { return static_cast<unsigned long>(initial_shape_.size() / 2); }

  // The landmarks of the object in `rect` of `img`; as dlib::shape_predictor::operator().
  dlib::full_object_detection operator()(const dlib::array2d<unsigned char>& img,
                                         const dlib::rectangle& rect) const;

 private:
  struct Tree {
    std::vector<dlib::impl::split_feature> splits;
    size_t first_leaf = 0;  // float offset of its first leaf vector in leaves_
  };
  // Address space for the leaf vectors: reserved up front (no memory until written), filled in
  // the order the file gives the leaves, the unused tail given back once all are read.
  class LeafArena {
   public:
    LeafArena() = default;
    LeafArena(const LeafArena&) = delete;
    LeafArena& operator=(const LeafArena&) = delete;
    ~LeafArena();
    void Reserve(size_t bytes);       // throws std::bad_alloc
    float* Append(size_t floats);     // throws dlib::serialization_error when the space is full
    void Shrink();                    // returns the unused reserved tail
    const float* data() const { return base_; }

   private:
    float* base_ = nullptr;
    size_t reserved_ = 0;  // bytes
    size_t used_ = 0;      // bytes
  };


  dlib::matrix<float, 0, 1> initial_shape_;
  std::vector<std::vector<Tree>> forests_;
  std::vector<std::vector<unsigned long>> anchor_idx_;
  std::vector<std::vector<dlib::vector<float, 2>>> deltas_;
  LeafArena leaves_;    // every leaf vector, `stride_` floats apart
  size_t stride_ = 0;   // shape size rounded up to a cache line
};

}  // namespace cutroom::analysis
