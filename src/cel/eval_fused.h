// src/cel/eval_fused.h: specialised plan nodes for common expression shapes, built by the
// planner when it recognises them. Each gives exactly the result (and charges exactly the cost)
// of the generic nodes it replaces. Internal to src/cel.
#pragma once

#include <string>
#include <vector>

#include "cel/eval_nodes.h"

namespace cellar::cel {

// The exists / all macro loops (accumulator `false` / `true` combined with || / &&) without
// the generic accumulator, condition and step nodes.
NodePtr MakeQuantifier(bool exists, int iter_slot, int iter2_slot, NodePtr range, NodePtr pred);

// range.exists(x, x == c) with a constant c (not an error): the elements (or map keys)
// compared with c directly, one cost unit per element visited, as the quantifier loop charges.
NodePtr MakeExistsEqual(NodePtr range, Value constant);

// element in range: a list scanned (strings compared directly) or a map looked up, with no
// overload dispatch; `generic` (the @in call) when the range is neither or an operand is an
// error or unknown.
NodePtr MakeIn(NodePtr element, NodePtr range, NodePtr generic);

// The list-building macro loops (map, filter, transformList: accumulator [], condition true,
// step `@result + [transform]`, under `filter ? ... : @result` when there is one): the
// elements collected straight into one vector. After an error or unknown the loop goes on as
// the generic one would, so the result is the same error.
NodePtr MakeCollectList(int iter_slot, int iter2_slot, NodePtr range, NodePtr filter,
                        NodePtr transform);

// range.filter(x, p).map(y, t), given the planned filter (a MakeCollectList node whose
// transform is x itself) and the map's slot and transform: the same list without building the
// filtered one. Any other `filtered` node gives a plain MakeCollectList over it.
NodePtr MakeFilterThenMap(NodePtr filtered, int iter_slot, NodePtr transform);

// x == c / x != c with a constant c (not an error): no overload dispatch, and a direct string
// comparison when both are strings.
NodePtr MakeEqualsConst(NodePtr operand, Value constant, bool negate);

// x OP c or c OP x for an ordering operator (`op` 0..3: <, <=, >, >=) and a constant int c:
// an int x compared directly; any other x through `ordering` (the operator's function, with
// the operands in their written order), so mixed numbers and errors come out as before.
NodePtr MakeOrderConst(NodePtr operand, int64_t constant, int op, bool constant_first,
                       BinaryFn ordering);

// a + b + c ... (left-deep, at least three pieces): when every piece is a string, one
// allocation instead of one per `+`. `generic` is the same chain as nested calls; it is
// evaluated instead when some piece is not a string.
NodePtr MakeConcat(std::vector<NodePtr> pieces, NodePtr generic);

// text.startsWith(a + b ...) compared piece by piece, building no string; `generic` as above.
NodePtr MakeStartsWithConcat(NodePtr text, std::vector<NodePtr> pieces, NodePtr generic);

// text.matches('constant') with the pattern compiled once; `generic` itself when the pattern
// does not compile (so the error is reported at run time, as before).
NodePtr MakeConstMatches(NodePtr text, const std::string& pattern, NodePtr generic);

// text.split('sep')[k] (constant non-empty separator, constant k >= 0): the k-th piece found
// directly, building no list; `generic` (the index of the split) when there is no such piece
// or the text is not a string.
NodePtr MakeSplitIndex(NodePtr text, std::string separator, int64_t index, NodePtr generic);

}  // namespace cellar::cel
