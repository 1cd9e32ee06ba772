max-ttl = "1h"
