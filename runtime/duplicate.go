package runtime

import (
	"fmt"
	goruntime "runtime"
)

// registrationSite is file:line of the code that called the Server's Add
// method, for the panic that reports a duplicate registration.
func registrationSite() string {
	// 0: registrationSite, 1: the Add method, 2: its caller.
	if _, file, line, ok := goruntime.Caller(2); ok {
		return fmt.Sprintf("%s:%d", file, line)
	}
	return "unknown"
}

// duplicate panics when a component of the same kind and name (URI, for
// resources and templates) is already registered, naming both
// registrations, as http.ServeMux does for conflicting patterns: silently
// keeping one of two would leave a component with checks nobody chose.
func duplicate(kind Kind, key string, old *record, site string) {
	if old == nil {
		return
	}
	panic(fmt.Sprintf("runtime: %s %q registered at %s is already registered at %s", kind, key, site, old.site))
}
