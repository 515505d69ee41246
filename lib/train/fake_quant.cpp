#include "train/fake_quant.hpp"

#include "codec/model_io.hpp"


namespace tiny::train {

FakeQuantizer::FakeQuantizer(codec::CompressionModel& model, codec::Quantization q) : q_(q) {
  if (q == codec::Quantization::none) return;
  for (auto& item : model.named_parameters(true)) {
    const codec::TensorRecord probe{item.key(), codec::DType::f32, item.value().sizes().vec(), {}};
    if (codec::quantizable(probe)) params_.emplace_back(item.key(), item.value());
  }
}

void FakeQuantizer::quantize() {
  torch::NoGradGuard no_grad;
  saved_.clear();
  for (auto& [name, p] : params_) {
    saved_.push_back(p.detach().clone());
    const codec::TensorRecord record = codec::tensor_to_record(name, p.detach(), false);
    const codec::TensorRecord q = q_ == codec::Quantization::int8 ? codec::quantize_int8(record) : codec::quantize_q4(record);
    p.copy_(codec::record_to_tensor(q).to(p.device(), p.scalar_type()));
  }
}

void FakeQuantizer::restore() {
  torch::NoGradGuard no_grad;
  for (size_t i = 0; i < saved_.size(); ++i) params_[i].second.copy_(saved_[i]);
  saved_.clear();
}

}  // namespace tiny::train
