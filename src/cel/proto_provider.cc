// src/cel/proto_provider.cc: CEL <-> protobuf through reflection, following the cel-spec's
// protobuf rules (presence, default values, well-known type unwrapping, range-checked
// narrowing on construction).
#include "cel/proto_provider.h"

#include <cmath>
#include <limits>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>

#include "cel/time_util.h"

namespace cellar::cel {
namespace {

namespace pb = google::protobuf;
using FD = pb::FieldDescriptor;

// Shared by the provider and every message value it creates, so values outlive Envs safely.
struct ProtoContext {
  const pb::DescriptorPool* pool = nullptr;
  std::unique_ptr<pb::DescriptorPool> owned_pool;
  std::unique_ptr<pb::DynamicMessageFactory> dynamic_factory;
  pb::MessageFactory* factory = nullptr;
  ProtoProviderOptions options;

  Value EnumValue(std::string_view enum_type, int64_t number) const {
    return options.enum_types ? Value::Enum(std::string(enum_type), number) : Value::Int(number);
  }

  const pb::Message* Prototype(const pb::Descriptor* d) const { return factory->GetPrototype(d); }
};

using Ctx = std::shared_ptr<const ProtoContext>;

enum class Wkt {
  kNone,
  kTimestamp,
  kDuration,
  kBoolValue,
  kInt32Value,
  kInt64Value,
  kUInt32Value,
  kUInt64Value,
  kFloatValue,
  kDoubleValue,
  kStringValue,
  kBytesValue,
  kStruct,
  kValue,
  kListValue,
  kAny,
};

Wkt WktOf(const pb::Descriptor* d) {
  const std::string& n = d->full_name();
  if (n.rfind("google.protobuf.", 0) != 0) {
    return Wkt::kNone;
  }
  static const std::pair<const char*, Wkt> kNames[] = {
      {"google.protobuf.Timestamp", Wkt::kTimestamp},
      {"google.protobuf.Duration", Wkt::kDuration},
      {"google.protobuf.BoolValue", Wkt::kBoolValue},
      {"google.protobuf.Int32Value", Wkt::kInt32Value},
      {"google.protobuf.Int64Value", Wkt::kInt64Value},
      {"google.protobuf.UInt32Value", Wkt::kUInt32Value},
      {"google.protobuf.UInt64Value", Wkt::kUInt64Value},
      {"google.protobuf.FloatValue", Wkt::kFloatValue},
      {"google.protobuf.DoubleValue", Wkt::kDoubleValue},
      {"google.protobuf.StringValue", Wkt::kStringValue},
      {"google.protobuf.BytesValue", Wkt::kBytesValue},
      {"google.protobuf.Struct", Wkt::kStruct},
      {"google.protobuf.Value", Wkt::kValue},
      {"google.protobuf.ListValue", Wkt::kListValue},
      {"google.protobuf.Any", Wkt::kAny},
  };
  for (const auto& [name, w] : kNames) {
    if (n == name) {
      return w;
    }
  }
  return Wkt::kNone;
}

bool IsWrapper(Wkt w) { return w >= Wkt::kBoolValue && w <= Wkt::kBytesValue; }

class ProtoMessageRep;
Value MessageToValue(std::shared_ptr<const pb::Message> msg, const Ctx& ctx);

Value FieldScalar(const pb::Message& m, const FD* f, const std::shared_ptr<const pb::Message>& owner,
                  const Ctx& ctx, int index) {
  const pb::Reflection* r = m.GetReflection();
  bool rep = index >= 0;
  switch (f->cpp_type()) {
    case FD::CPPTYPE_INT32:
      return Value::Int(rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f));
    case FD::CPPTYPE_INT64:
      return Value::Int(rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f));
    case FD::CPPTYPE_UINT32:
      return Value::Uint(rep ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f));
    case FD::CPPTYPE_UINT64:
      return Value::Uint(rep ? r->GetRepeatedUInt64(m, f, index) : r->GetUInt64(m, f));
    case FD::CPPTYPE_DOUBLE:
      return Value::Double(rep ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f));
    case FD::CPPTYPE_FLOAT:
      return Value::Double(rep ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f));
    case FD::CPPTYPE_BOOL:
      return Value::Bool(rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f));
    case FD::CPPTYPE_ENUM:
      return ctx->EnumValue(f->enum_type()->full_name(),
                            rep ? r->GetRepeatedEnumValue(m, f, index) : r->GetEnumValue(m, f));
    case FD::CPPTYPE_STRING: {
      std::string s = rep ? r->GetRepeatedString(m, f, index) : r->GetString(m, f);
      return f->type() == FD::TYPE_BYTES ? Value::Bytes(std::move(s))
                                         : Value::String(std::move(s));
    }
    case FD::CPPTYPE_MESSAGE: {
      const pb::Message& sub = rep ? r->GetRepeatedMessage(m, f, index) : r->GetMessage(m, f);
      Wkt w = WktOf(f->message_type());
      if (!rep && !r->HasField(m, f) && (IsWrapper(w) || w == Wkt::kValue || w == Wkt::kAny)) {
        return Value::Null();
      }
      // Aliasing constructor: the sub-message lives as long as its parent.
      return MessageToValue(std::shared_ptr<const pb::Message>(owner, &sub), ctx);
    }
  }
  return Value::Error("unsupported field type");
}

Value FieldToValue(const std::shared_ptr<const pb::Message>& owner, const FD* f, const Ctx& ctx) {
  const pb::Message& m = *owner;
  const pb::Reflection* r = m.GetReflection();
  if (f->is_map()) {
    auto map = std::make_shared<MapRep>();
    const FD* key_f = f->message_type()->map_key();
    const FD* value_f = f->message_type()->map_value();
    int n = r->FieldSize(m, f);
    for (int i = 0; i < n; ++i) {
      const pb::Message& entry = r->GetRepeatedMessage(m, f, i);
      std::shared_ptr<const pb::Message> entry_owner(owner, &entry);
      Value k = FieldScalar(entry, key_f, entry_owner, ctx, -1);
      Value v = FieldScalar(entry, value_f, entry_owner, ctx, -1);
      if (value_f->cpp_type() == FD::CPPTYPE_MESSAGE && !entry.GetReflection()->HasField(entry, value_f)) {
        v = MessageToValue(std::shared_ptr<const pb::Message>(
                               entry_owner, &entry.GetReflection()->GetMessage(entry, value_f)),
                           ctx);
      }
      map->Insert(std::move(k), std::move(v));
    }
    return Value::Map(std::move(map));
  }
  if (f->is_repeated()) {
    std::vector<Value> elems;
    int n = r->FieldSize(m, f);
    elems.reserve(n);
    for (int i = 0; i < n; ++i) {
      elems.push_back(FieldScalar(m, f, owner, ctx, i));
    }
    return Value::List(std::move(elems));
  }
  return FieldScalar(m, f, owner, ctx, -1);
}

class ProtoMessageRep final : public MessageRep {
 public:
  ProtoMessageRep(std::shared_ptr<const pb::Message> msg, Ctx ctx)
      : msg_(std::move(msg)), ctx_(std::move(ctx)) {}

  std::string_view type_name() const override { return msg_->GetDescriptor()->full_name(); }

  Value GetField(std::string_view field) const override {
    const FD* f = FindField(field);
    if (f == nullptr) {
      return Value::Error(StatusCode::kNotFound, "no such field: '" + std::string(field) + "'");
    }
    return FieldToValue(msg_, f, ctx_);
  }

  Value HasField(std::string_view field) const override {
    const FD* f = FindField(field);
    if (f == nullptr) {
      return Value::Error(StatusCode::kNotFound, "no such field: '" + std::string(field) + "'");
    }
    const pb::Reflection* r = msg_->GetReflection();
    if (f->is_repeated()) {
      return Value::Bool(r->FieldSize(*msg_, f) > 0);
    }
    return Value::Bool(r->HasField(*msg_, f));
  }

  bool Equals(const MessageRep& other) const override {
    const auto* o = dynamic_cast<const ProtoMessageRep*>(&other);
    if (o == nullptr || o->msg_->GetDescriptor()->full_name() != msg_->GetDescriptor()->full_name()) {
      return false;
    }
    pb::util::MessageDifferencer differencer;
    return differencer.Compare(*msg_, *o->msg_);
  }

  std::string DebugString() const override {
    return std::string(type_name()) + "{" + msg_->ShortDebugString() + "}";
  }

  const pb::Message& message() const { return *msg_; }
  bool IsEmpty() const override { return msg_->ByteSizeLong() == 0; }

 private:
  const FD* FindField(std::string_view name) const {
    const pb::Descriptor* d = msg_->GetDescriptor();
    const FD* f = d->FindFieldByName(std::string(name));
    if (f == nullptr) {
      // Proto2 extensions are selected by their full name.
      f = ctx_->pool->FindExtensionByName(std::string(name));
      if (f != nullptr && f->containing_type() != d) {
        f = nullptr;
      }
    }
    return f;
  }

  std::shared_ptr<const pb::Message> msg_;
  Ctx ctx_;
};

Value StructToValue(const pb::Message& m, const std::shared_ptr<const pb::Message>& owner,
                    const Ctx& ctx);
Value ListValueToValue(const pb::Message& m, const std::shared_ptr<const pb::Message>& owner,
                       const Ctx& ctx);

Value JsonValueToValue(const pb::Message& m, const std::shared_ptr<const pb::Message>& owner,
                       const Ctx& ctx) {
  const pb::Descriptor* d = m.GetDescriptor();
  const pb::Reflection* r = m.GetReflection();
  const pb::OneofDescriptor* kind = d->FindOneofByName("kind");
  const FD* set = kind != nullptr ? r->GetOneofFieldDescriptor(m, kind) : nullptr;
  if (set == nullptr || set->name() == "null_value") {
    return Value::Null();
  }
  if (set->name() == "number_value") {
    return Value::Double(r->GetDouble(m, set));
  }
  if (set->name() == "string_value") {
    return Value::String(r->GetString(m, set));
  }
  if (set->name() == "bool_value") {
    return Value::Bool(r->GetBool(m, set));
  }
  const pb::Message& sub = r->GetMessage(m, set);
  std::shared_ptr<const pb::Message> sub_owner(owner, &sub);
  if (set->name() == "struct_value") {
    return StructToValue(sub, sub_owner, ctx);
  }
  return ListValueToValue(sub, sub_owner, ctx);
}

Value StructToValue(const pb::Message& m, const std::shared_ptr<const pb::Message>& owner,
                    const Ctx& ctx) {
  const FD* fields = m.GetDescriptor()->FindFieldByName("fields");
  const pb::Reflection* r = m.GetReflection();
  auto map = std::make_shared<MapRep>();
  int n = r->FieldSize(m, fields);
  for (int i = 0; i < n; ++i) {
    const pb::Message& entry = r->GetRepeatedMessage(m, fields, i);
    const pb::Reflection* er = entry.GetReflection();
    const FD* kf = entry.GetDescriptor()->map_key();
    const FD* vf = entry.GetDescriptor()->map_value();
    const pb::Message& v = er->GetMessage(entry, vf);
    map->Insert(Value::String(er->GetString(entry, kf)),
                JsonValueToValue(v, std::shared_ptr<const pb::Message>(owner, &v), ctx));
  }
  return Value::Map(std::move(map));
}

Value ListValueToValue(const pb::Message& m, const std::shared_ptr<const pb::Message>& owner,
                       const Ctx& ctx) {
  const FD* values = m.GetDescriptor()->FindFieldByName("values");
  const pb::Reflection* r = m.GetReflection();
  std::vector<Value> out;
  int n = r->FieldSize(m, values);
  for (int i = 0; i < n; ++i) {
    const pb::Message& v = r->GetRepeatedMessage(m, values, i);
    out.push_back(JsonValueToValue(v, std::shared_ptr<const pb::Message>(owner, &v), ctx));
  }
  return Value::List(std::move(out));
}

Value UnpackAny(const pb::Message& m, const Ctx& ctx) {
  const pb::Reflection* r = m.GetReflection();
  const pb::Descriptor* d = m.GetDescriptor();
  std::string url = r->GetString(m, d->FindFieldByName("type_url"));
  std::string bytes = r->GetString(m, d->FindFieldByName("value"));
  std::string name = url.substr(url.rfind('/') + 1);
  const pb::Descriptor* target = ctx->pool->FindMessageTypeByName(name);
  if (target == nullptr) {
    return Value::Error("unknown type in Any: '" + url + "'");
  }
  std::shared_ptr<pb::Message> inner(ctx->Prototype(target)->New());
  if (!inner->ParseFromString(bytes)) {
    return Value::Error("malformed Any of type " + name);
  }
  return MessageToValue(std::move(inner), ctx);
}

Value MessageToValue(std::shared_ptr<const pb::Message> msg, const Ctx& ctx) {
  const pb::Message& m = *msg;
  const pb::Descriptor* d = m.GetDescriptor();
  const pb::Reflection* r = m.GetReflection();
  auto field = [&](const char* name) { return d->FindFieldByName(name); };
  switch (WktOf(d)) {
    case Wkt::kNone:
      return Value::Message(std::make_shared<ProtoMessageRep>(std::move(msg), ctx));
    case Wkt::kTimestamp:
      return MakeTimestamp(r->GetInt64(m, field("seconds")), r->GetInt32(m, field("nanos")));
    case Wkt::kDuration:
      return MakeDuration(r->GetInt64(m, field("seconds")), r->GetInt32(m, field("nanos")));
    case Wkt::kBoolValue:
    case Wkt::kInt32Value:
    case Wkt::kInt64Value:
    case Wkt::kUInt32Value:
    case Wkt::kUInt64Value:
    case Wkt::kFloatValue:
    case Wkt::kDoubleValue:
    case Wkt::kStringValue:
    case Wkt::kBytesValue:
      return FieldScalar(m, field("value"), msg, ctx, -1);
    case Wkt::kStruct:
      return StructToValue(m, msg, ctx);
    case Wkt::kValue:
      return JsonValueToValue(m, msg, ctx);
    case Wkt::kListValue:
      return ListValueToValue(m, msg, ctx);
    case Wkt::kAny:
      return UnpackAny(m, ctx);
  }
  return Value::Error("unsupported message");
}

// ---- construction ----

constexpr int64_t kMaxSafeJsonInt = (int64_t{1} << 53) - 1;

std::string SetError(const FD* f, const Value& v) {
  return "field '" + f->name() + "' cannot be set from a value of type " + v.TypeName();
}

// Writes `v` into message `m` as a google.protobuf.Value.
std::string SetJsonValue(pb::Message* m, const Value& v, const Ctx& ctx, int depth);

std::string SetStruct(pb::Message* m, const Value& v, const Ctx& ctx, int depth) {
  if (v.kind() != Kind::kMap) {
    return "google.protobuf.Struct requires a map, got " + v.TypeName();
  }
  const FD* fields = m->GetDescriptor()->FindFieldByName("fields");
  for (const auto& [k, e] : v.map_value().entries()) {
    if (k.kind() != Kind::kString) {
      return "google.protobuf.Struct keys must be strings";
    }
    pb::Message* entry = m->GetReflection()->AddMessage(m, fields);
    const FD* kf = entry->GetDescriptor()->map_key();
    const FD* vf = entry->GetDescriptor()->map_value();
    entry->GetReflection()->SetString(entry, kf, k.string_value());
    std::string err =
        SetJsonValue(entry->GetReflection()->MutableMessage(entry, vf), e, ctx, depth + 1);
    if (!err.empty()) {
      return err;
    }
  }
  return "";
}

std::string SetListValue(pb::Message* m, const Value& v, const Ctx& ctx, int depth) {
  if (v.kind() != Kind::kList) {
    return "google.protobuf.ListValue requires a list, got " + v.TypeName();
  }
  const FD* values = m->GetDescriptor()->FindFieldByName("values");
  for (const Value& e : v.list_elems()) {
    std::string err =
        SetJsonValue(m->GetReflection()->AddMessage(m, values), e, ctx, depth + 1);
    if (!err.empty()) {
      return err;
    }
  }
  return "";
}

std::string SetJsonValue(pb::Message* m, const Value& v, const Ctx& ctx, int depth) {
  if (depth > 100) {
    return "value nested too deeply";
  }
  const pb::Descriptor* d = m->GetDescriptor();
  const pb::Reflection* r = m->GetReflection();
  switch (v.kind()) {
    case Kind::kNull:
      r->SetEnumValue(m, d->FindFieldByName("null_value"), 0);
      return "";
    case Kind::kBool:
      r->SetBool(m, d->FindFieldByName("bool_value"), v.bool_value());
      return "";
    // Integers beyond 2^53 lose precision as JSON numbers, so they become strings (as cel-go).
    case Kind::kInt:
      if (v.int_value() > kMaxSafeJsonInt || v.int_value() < -kMaxSafeJsonInt) {
        r->SetString(m, d->FindFieldByName("string_value"), std::to_string(v.int_value()));
      } else {
        r->SetDouble(m, d->FindFieldByName("number_value"), static_cast<double>(v.int_value()));
      }
      return "";
    case Kind::kUint:
      if (v.uint_value() > static_cast<uint64_t>(kMaxSafeJsonInt)) {
        r->SetString(m, d->FindFieldByName("string_value"), std::to_string(v.uint_value()));
      } else {
        r->SetDouble(m, d->FindFieldByName("number_value"), static_cast<double>(v.uint_value()));
      }
      return "";
    case Kind::kDouble:
      r->SetDouble(m, d->FindFieldByName("number_value"), v.double_value());
      return "";
    case Kind::kString:
      r->SetString(m, d->FindFieldByName("string_value"), v.string_value());
      return "";
    case Kind::kBytes: {
      std::string b64;
      static constexpr char kA[] =
          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
      const std::string& s = v.string_value();
      for (size_t i = 0; i < s.size(); i += 3) {
        uint32_t n = static_cast<unsigned char>(s[i]) << 16;
        if (i + 1 < s.size()) n |= static_cast<unsigned char>(s[i + 1]) << 8;
        if (i + 2 < s.size()) n |= static_cast<unsigned char>(s[i + 2]);
        b64 += kA[n >> 18];
        b64 += kA[(n >> 12) & 63];
        b64 += i + 1 < s.size() ? kA[(n >> 6) & 63] : '=';
        b64 += i + 2 < s.size() ? kA[n & 63] : '=';
      }
      r->SetString(m, d->FindFieldByName("string_value"), b64);
      return "";
    }
    case Kind::kTimestamp:
      r->SetString(m, d->FindFieldByName("string_value"), FormatTimestamp(v));
      return "";
    case Kind::kDuration:
      r->SetString(m, d->FindFieldByName("string_value"), FormatDuration(v));
      return "";
    case Kind::kList:
      return SetListValue(r->MutableMessage(m, d->FindFieldByName("list_value")), v, ctx, depth);
    case Kind::kMap:
      return SetStruct(r->MutableMessage(m, d->FindFieldByName("struct_value")), v, ctx, depth);
    case Kind::kMessage:
      // Other messages (FieldMask, Empty, ...) become their proto JSON form, as in cel-go.
      if (const pb::Message* msg = ValueAsProtoMessage(v)) {
        std::string json;
        if (pb::util::MessageToJsonString(*msg, &json).ok() &&
            pb::util::JsonStringToMessage(json, m).ok()) {
          return "";
        }
      }
      [[fallthrough]];
    default:
      return "cannot convert " + v.TypeName() + " to google.protobuf.Value";
  }
}

std::string SetMessageFromValue(pb::Message* m, const Value& v, const Ctx& ctx);

// Packs `v` into an Any: messages as themselves, other values through their wrapper/WKT.
std::string PackAny(pb::Message* any, const Value& v, const Ctx& ctx) {
  std::string type;
  switch (v.kind()) {
    case Kind::kMessage: {
      const auto* rep = dynamic_cast<const ProtoMessageRep*>(&v.message_value());
      if (rep == nullptr) {
        return "cannot pack a non-protobuf message into Any";
      }
      const pb::Reflection* r = any->GetReflection();
      r->SetString(any, any->GetDescriptor()->FindFieldByName("type_url"),
                   "type.googleapis.com/" + rep->message().GetDescriptor()->full_name());
      r->SetString(any, any->GetDescriptor()->FindFieldByName("value"),
                   rep->message().SerializeAsString());
      return "";
    }
    case Kind::kBool:
      type = "google.protobuf.BoolValue";
      break;
    case Kind::kInt:
      type = "google.protobuf.Int64Value";
      break;
    case Kind::kUint:
      type = "google.protobuf.UInt64Value";
      break;
    case Kind::kDouble:
      type = "google.protobuf.DoubleValue";
      break;
    case Kind::kString:
      type = "google.protobuf.StringValue";
      break;
    case Kind::kBytes:
      type = "google.protobuf.BytesValue";
      break;
    case Kind::kTimestamp:
      type = "google.protobuf.Timestamp";
      break;
    case Kind::kDuration:
      type = "google.protobuf.Duration";
      break;
    case Kind::kList:
      type = "google.protobuf.ListValue";
      break;
    case Kind::kMap:
      type = "google.protobuf.Struct";
      break;
    case Kind::kNull:
      type = "google.protobuf.Value";
      break;
    default:
      return "cannot pack " + v.TypeName() + " into Any";
  }
  const pb::Descriptor* d = ctx->pool->FindMessageTypeByName(type);
  if (d == nullptr) {
    return "descriptor pool lacks " + type;
  }
  std::unique_ptr<pb::Message> inner(ctx->Prototype(d)->New());
  std::string err = SetMessageFromValue(inner.get(), v, ctx);
  if (!err.empty()) {
    return err;
  }
  const pb::Reflection* r = any->GetReflection();
  r->SetString(any, any->GetDescriptor()->FindFieldByName("type_url"),
               "type.googleapis.com/" + type);
  r->SetString(any, any->GetDescriptor()->FindFieldByName("value"), inner->SerializeAsString());
  return "";
}

bool FitsInt32(int64_t v) {
  return v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max();
}

// Fills message `m` (of any type, WKTs included) from `v`.
std::string SetMessageFromValue(pb::Message* m, const Value& v, const Ctx& ctx) {
  const pb::Descriptor* d = m->GetDescriptor();
  const pb::Reflection* r = m->GetReflection();
  auto field = [&](const char* name) { return d->FindFieldByName(name); };
  Wkt w = WktOf(d);
  switch (w) {
    case Wkt::kNone: {
      if (v.kind() != Kind::kMessage) {
        return "expected " + d->full_name() + ", got " + v.TypeName();
      }
      const auto* rep = dynamic_cast<const ProtoMessageRep*>(&v.message_value());
      if (rep == nullptr || rep->message().GetDescriptor()->full_name() != d->full_name()) {
        return "expected " + d->full_name() + ", got " + v.TypeName();
      }
      if (rep->message().GetDescriptor() == d) {
        m->CopyFrom(rep->message());
      } else {
        m->ParseFromString(rep->message().SerializeAsString());
      }
      return "";
    }
    case Wkt::kTimestamp:
    case Wkt::kDuration:
      if (v.kind() != (w == Wkt::kTimestamp ? Kind::kTimestamp : Kind::kDuration)) {
        return "expected " + d->full_name() + ", got " + v.TypeName();
      }
      r->SetInt64(m, field("seconds"), v.seconds());
      r->SetInt32(m, field("nanos"), v.nanos());
      return "";
    case Wkt::kBoolValue:
    case Wkt::kInt32Value:
    case Wkt::kInt64Value:
    case Wkt::kUInt32Value:
    case Wkt::kUInt64Value:
    case Wkt::kFloatValue:
    case Wkt::kDoubleValue:
    case Wkt::kStringValue:
    case Wkt::kBytesValue: {
      const FD* f = field("value");
      switch (f->cpp_type()) {
        case FD::CPPTYPE_BOOL:
          if (v.kind() != Kind::kBool) break;
          r->SetBool(m, f, v.bool_value());
          return "";
        case FD::CPPTYPE_INT32:
          if (v.kind() != Kind::kInt) break;
          if (!FitsInt32(v.int_value())) return "range error: int32 overflow";
          r->SetInt32(m, f, static_cast<int32_t>(v.int_value()));
          return "";
        case FD::CPPTYPE_INT64:
          if (v.kind() != Kind::kInt) break;
          r->SetInt64(m, f, v.int_value());
          return "";
        case FD::CPPTYPE_UINT32:
          if (v.kind() != Kind::kUint) break;
          if (v.uint_value() > std::numeric_limits<uint32_t>::max()) {
            return "range error: uint32 overflow";
          }
          r->SetUInt32(m, f, static_cast<uint32_t>(v.uint_value()));
          return "";
        case FD::CPPTYPE_UINT64:
          if (v.kind() != Kind::kUint) break;
          r->SetUInt64(m, f, v.uint_value());
          return "";
        case FD::CPPTYPE_FLOAT:
          if (v.kind() != Kind::kDouble) break;
          r->SetFloat(m, f, static_cast<float>(v.double_value()));
          return "";
        case FD::CPPTYPE_DOUBLE:
          if (v.kind() != Kind::kDouble) break;
          r->SetDouble(m, f, v.double_value());
          return "";
        case FD::CPPTYPE_STRING:
          if (v.kind() != (f->type() == FD::TYPE_BYTES ? Kind::kBytes : Kind::kString)) break;
          r->SetString(m, f, v.string_value());
          return "";
        default:
          break;
      }
      return "expected " + d->full_name() + ", got " + v.TypeName();
    }
    case Wkt::kStruct:
      return SetStruct(m, v, ctx, 0);
    case Wkt::kValue:
      return SetJsonValue(m, v, ctx, 0);
    case Wkt::kListValue:
      return SetListValue(m, v, ctx, 0);
    case Wkt::kAny:
      return PackAny(m, v, ctx);
  }
  return "unsupported message";
}

std::string SetScalar(pb::Message* m, const FD* f, const Value& v, const Ctx& ctx, bool add) {
  const pb::Reflection* r = m->GetReflection();
  switch (f->cpp_type()) {
    case FD::CPPTYPE_INT32:
      if (v.kind() != Kind::kInt) break;
      if (!FitsInt32(v.int_value())) return "range error: int32 overflow";
      add ? r->AddInt32(m, f, static_cast<int32_t>(v.int_value()))
          : r->SetInt32(m, f, static_cast<int32_t>(v.int_value()));
      return "";
    case FD::CPPTYPE_INT64:
      if (v.kind() != Kind::kInt) break;
      add ? r->AddInt64(m, f, v.int_value()) : r->SetInt64(m, f, v.int_value());
      return "";
    case FD::CPPTYPE_UINT32:
      if (v.kind() != Kind::kUint) break;
      if (v.uint_value() > std::numeric_limits<uint32_t>::max()) {
        return "range error: uint32 overflow";
      }
      add ? r->AddUInt32(m, f, static_cast<uint32_t>(v.uint_value()))
          : r->SetUInt32(m, f, static_cast<uint32_t>(v.uint_value()));
      return "";
    case FD::CPPTYPE_UINT64:
      if (v.kind() != Kind::kUint) break;
      add ? r->AddUInt64(m, f, v.uint_value()) : r->SetUInt64(m, f, v.uint_value());
      return "";
    case FD::CPPTYPE_DOUBLE:
      if (v.kind() != Kind::kDouble) break;
      add ? r->AddDouble(m, f, v.double_value()) : r->SetDouble(m, f, v.double_value());
      return "";
    case FD::CPPTYPE_FLOAT: {
      if (v.kind() != Kind::kDouble) break;
      float fv = static_cast<float>(v.double_value());
      add ? r->AddFloat(m, f, fv) : r->SetFloat(m, f, fv);
      return "";
    }
    case FD::CPPTYPE_BOOL:
      if (v.kind() != Kind::kBool) break;
      add ? r->AddBool(m, f, v.bool_value()) : r->SetBool(m, f, v.bool_value());
      return "";
    case FD::CPPTYPE_STRING:
      if (v.kind() != (f->type() == FD::TYPE_BYTES ? Kind::kBytes : Kind::kString)) break;
      add ? r->AddString(m, f, v.string_value()) : r->SetString(m, f, v.string_value());
      return "";
    case FD::CPPTYPE_ENUM:
      if (v.kind() != Kind::kInt) break;
      if (!FitsInt32(v.int_value())) return "range error: enum value out of int32 range";
      add ? r->AddEnumValue(m, f, static_cast<int>(v.int_value()))
          : r->SetEnumValue(m, f, static_cast<int>(v.int_value()));
      return "";
    case FD::CPPTYPE_MESSAGE: {
      Wkt w = WktOf(f->message_type());
      if (v.kind() == Kind::kNull && !add) {
        if (w == Wkt::kStruct || w == Wkt::kListValue) {
          return SetError(f, v);
        }
        if (w == Wkt::kValue) {
          return SetJsonValue(r->MutableMessage(m, f), v, ctx, 0);
        }
        // null leaves a message field unset (wrappers read back as null).
        r->ClearField(m, f);
        return "";
      }
      pb::Message* sub = add ? r->AddMessage(m, f) : r->MutableMessage(m, f);
      return SetMessageFromValue(sub, v, ctx);
    }
  }
  return SetError(f, v);
}

std::string SetField(pb::Message* m, const FD* f, const Value& v, const Ctx& ctx) {
  const pb::Reflection* r = m->GetReflection();
  if (f->is_map()) {
    if (v.kind() != Kind::kMap) {
      return SetError(f, v);
    }
    const FD* kf = f->message_type()->map_key();
    const FD* vf = f->message_type()->map_value();
    for (const auto& [k, e] : v.map_value().entries()) {
      pb::Message* entry = r->AddMessage(m, f);
      std::string err = SetScalar(entry, kf, k, ctx, false);
      if (err.empty()) {
        err = SetScalar(entry, vf, e, ctx, false);
      }
      if (!err.empty()) {
        return err;
      }
    }
    return "";
  }
  if (f->is_repeated()) {
    if (v.kind() != Kind::kList) {
      return SetError(f, v);
    }
    for (const Value& e : v.list_elems()) {
      std::string err = SetScalar(m, f, e, ctx, true);
      if (!err.empty()) {
        return err;
      }
    }
    return "";
  }
  if (v.kind() == Kind::kNull && f->cpp_type() != FD::CPPTYPE_MESSAGE) {
    return SetError(f, v);
  }
  return SetScalar(m, f, v, ctx, false);
}

// The CEL type of one element of a field (enums are ints, as in cel-go's legacy mode; the
// checker maps well-known message names to their CEL types).
Type FieldElementType(const FD* f) {
  switch (f->cpp_type()) {
    case FD::CPPTYPE_BOOL:
      return Type::Of(TypeKind::kBool);
    case FD::CPPTYPE_INT32:
    case FD::CPPTYPE_INT64:
    case FD::CPPTYPE_ENUM:
      return Type::Of(TypeKind::kInt);
    case FD::CPPTYPE_UINT32:
    case FD::CPPTYPE_UINT64:
      return Type::Of(TypeKind::kUint);
    case FD::CPPTYPE_FLOAT:
    case FD::CPPTYPE_DOUBLE:
      return Type::Of(TypeKind::kDouble);
    case FD::CPPTYPE_STRING:
      return Type::Of(f->type() == FD::TYPE_BYTES ? TypeKind::kBytes : TypeKind::kString);
    case FD::CPPTYPE_MESSAGE:
      return Type::Message(f->message_type()->full_name());
  }
  return Type::Dyn();
}

class ProtoTypeProvider final : public TypeProvider {
 public:
  explicit ProtoTypeProvider(Ctx ctx) : ctx_(std::move(ctx)) {}

  bool HasMessageType(std::string_view full_name) const override {
    return ctx_->pool->FindMessageTypeByName(std::string(full_name)) != nullptr;
  }

  bool HasEnumType(std::string_view full_name) const override {
    return ctx_->pool->FindEnumTypeByName(std::string(full_name)) != nullptr;
  }

  Value EnumValue(std::string_view enum_type, int64_t number) const override {
    return ctx_->EnumValue(enum_type, number);
  }

  std::optional<int64_t> FindEnumConstant(std::string_view full_name) const override {
    size_t dot = full_name.rfind('.');
    if (dot == std::string_view::npos) {
      return std::nullopt;
    }
    const pb::EnumDescriptor* e =
        ctx_->pool->FindEnumTypeByName(std::string(full_name.substr(0, dot)));
    if (e == nullptr) {
      return std::nullopt;
    }
    const pb::EnumValueDescriptor* v = e->FindValueByName(std::string(full_name.substr(dot + 1)));
    if (v == nullptr) {
      return std::nullopt;
    }
    return v->number();
  }

  std::optional<Type> FindFieldType(std::string_view message,
                                    std::string_view field) const override {
    const pb::Descriptor* d = ctx_->pool->FindMessageTypeByName(std::string(message));
    if (d == nullptr) {
      return std::nullopt;
    }
    const FD* f = d->FindFieldByName(std::string(field));
    if (f == nullptr) {
      // Proto2 extensions are selected by their full name.
      f = ctx_->pool->FindExtensionByName(std::string(field));
      if (f != nullptr && f->containing_type() != d) {
        f = nullptr;
      }
    }
    if (f == nullptr) {
      return std::nullopt;
    }
    if (f->is_map()) {
      return Type::Map(FieldElementType(f->message_type()->map_key()),
                       FieldElementType(f->message_type()->map_value()));
    }
    Type elem = FieldElementType(f);
    return f->is_repeated() ? Type::List(std::move(elem)) : elem;
  }

  Value NewMessage(std::string_view full_name,
                   std::span<const std::pair<std::string, Value>> fields) const override {
    const pb::Descriptor* d = ctx_->pool->FindMessageTypeByName(std::string(full_name));
    if (d == nullptr) {
      return Value::Error(StatusCode::kNotFound, "unknown type: " + std::string(full_name));
    }
    std::shared_ptr<pb::Message> msg(ctx_->Prototype(d)->New());
    for (const auto& [name, v] : fields) {
      const FD* f = d->FindFieldByName(name);
      if (f == nullptr) {
        return Value::Error(StatusCode::kNotFound, "no such field: '" + name + "'");
      }
      std::string err = SetField(msg.get(), f, v, ctx_);
      if (!err.empty()) {
        return Value::Error(err);
      }
    }
    return MessageToValue(std::move(msg), ctx_);
  }

  const Ctx& ctx() const { return ctx_; }

 private:
  Ctx ctx_;
};

}  // namespace

std::shared_ptr<const TypeProvider> NewProtoTypeProvider(const pb::DescriptorPool* pool,
                                                         ProtoProviderOptions options) {
  auto ctx = std::make_shared<ProtoContext>();
  ctx->options = options;
  ctx->pool = pool;
  if (pool == pb::DescriptorPool::generated_pool()) {
    ctx->factory = pb::MessageFactory::generated_factory();
  } else {
    ctx->dynamic_factory = std::make_unique<pb::DynamicMessageFactory>(pool);
    ctx->factory = ctx->dynamic_factory.get();
  }
  return std::make_shared<ProtoTypeProvider>(std::move(ctx));
}

StatusOr<std::shared_ptr<const TypeProvider>> NewProtoTypeProviderFromDescriptorSet(
    std::string_view serialized, ProtoProviderOptions options) {
  pb::FileDescriptorSet set;
  if (!set.ParseFromArray(serialized.data(), static_cast<int>(serialized.size()))) {
    return InvalidArgumentError("malformed FileDescriptorSet");
  }
  auto ctx = std::make_shared<ProtoContext>();
  ctx->options = options;
  ctx->owned_pool = std::make_unique<pb::DescriptorPool>();
  for (const auto& file : set.file()) {
    if (ctx->owned_pool->BuildFile(file) == nullptr) {
      return InvalidArgumentError("cannot build descriptor for " + file.name());
    }
  }
  ctx->pool = ctx->owned_pool.get();
  ctx->dynamic_factory = std::make_unique<pb::DynamicMessageFactory>(ctx->pool);
  ctx->factory = ctx->dynamic_factory.get();
  return std::shared_ptr<const TypeProvider>(std::make_shared<ProtoTypeProvider>(std::move(ctx)));
}

Value ProtoMessageToValue(const pb::Message& message, const TypeProvider& provider) {
  const auto& p = static_cast<const ProtoTypeProvider&>(provider);
  std::shared_ptr<pb::Message> copy(message.New());
  copy->CopyFrom(message);
  return MessageToValue(std::move(copy), p.ctx());
}

StatusOr<Value> ProtoJsonToValue(std::string_view type_name, std::string_view json,
                                 const TypeProvider& provider) {
  const auto& p = static_cast<const ProtoTypeProvider&>(provider);
  const pb::Descriptor* d = p.ctx()->pool->FindMessageTypeByName(std::string(type_name));
  if (d == nullptr) {
    return NotFoundError("unknown message type " + std::string(type_name));
  }
  std::shared_ptr<pb::Message> msg(p.ctx()->Prototype(d)->New());
  auto status = pb::util::JsonStringToMessage(pb::StringPiece(json.data(), json.size()),
                                              msg.get());
  if (!status.ok()) {
    return InvalidArgumentError("invalid proto JSON for " + std::string(type_name) + ": " +
                                std::string(status.message()));
  }
  return MessageToValue(std::move(msg), p.ctx());
}

StatusOr<Value> ProtoBinaryToValue(std::string_view type_name, std::string_view bytes,
                                   const TypeProvider& provider) {
  const auto& p = static_cast<const ProtoTypeProvider&>(provider);
  const pb::Descriptor* d = p.ctx()->pool->FindMessageTypeByName(std::string(type_name));
  if (d == nullptr) {
    return NotFoundError("unknown message type " + std::string(type_name));
  }
  std::shared_ptr<pb::Message> msg(p.ctx()->Prototype(d)->New());
  if (!msg->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return InvalidArgumentError("malformed " + std::string(type_name));
  }
  return MessageToValue(std::move(msg), p.ctx());
}

const pb::Message* ValueAsProtoMessage(const Value& value) {
  if (value.kind() != Kind::kMessage) {
    return nullptr;
  }
  const auto* rep = dynamic_cast<const ProtoMessageRep*>(&value.message_value());
  return rep == nullptr ? nullptr : &rep->message();
}

}  // namespace cellar::cel
