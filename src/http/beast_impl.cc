// src/http/beast_impl.cc: Beast and Asio compiled once for the whole program (STYLE.md §11).
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
