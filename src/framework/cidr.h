// src/framework/cidr.h: CIDR blocks for token_bound_cidrs and similar login restrictions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status_or.h"

namespace cellar::framework {

// Checks "10.0.0.0/8", "2001:db8::/32" or a bare address (a /32 or /128). Errors: InvalidArgument
// naming the block.
Status ValidateCidr(std::string_view cidr);

// Whether `remote_addr` ("1.2.3.4", "1.2.3.4:5678", "::1", "[::1]:5678") lies in any of `cidrs`.
// An empty list allows everything; an unparsable address or block never matches.
bool AddressAllowed(std::string_view remote_addr, const std::vector<std::string>& cidrs);

}  // namespace cellar::framework
