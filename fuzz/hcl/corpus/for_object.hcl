x = {for k, r in request.app_config : k => r.data.data}
