x = provider::ns::fn(1)
