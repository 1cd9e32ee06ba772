// src/framework/responses.cc: shared response builders.
#include "framework/responses.h"

namespace cellar::framework {

Response ListResponse(const std::vector<std::string>& keys) {
  if (keys.empty()) {
    return Response{};
  }
  boost::json::array arr;
  arr.reserve(keys.size());
  for (const std::string& k : keys) {
    arr.emplace_back(k);
  }
  boost::json::object data;
  data["keys"] = std::move(arr);
  return Response::WithData(std::move(data));
}

}  // namespace cellar::framework
