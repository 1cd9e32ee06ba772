x = input.data.common_name
