#include "cel/library.h"
namespace cellar::cel {
void RegisterStringsExtension(FunctionRegistry&) {}
void RegisterMathExtension(FunctionRegistry&) {}
void RegisterEncodersExtension(FunctionRegistry&) {}
void RegisterListsExtension(FunctionRegistry&) {}
void RegisterSetsExtension(FunctionRegistry&) {}
void RegisterOptionalsExtension(FunctionRegistry&) {}
}
