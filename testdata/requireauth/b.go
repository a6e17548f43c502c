package requireauth

// AppConfig has no auth=.
//
//mcp:resource uri=config://app
func AppConfig() (string, error) { return "", nil }

// User has no auth=.
//
//mcp:resource uri=users://{id}
func User(id string) (string, error) { return id, nil }

// Bad has no auth= and a wrong result: both are reported.
//
//mcp:tool
func Bad() string { return "" }
