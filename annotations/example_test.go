package annotations_test

import (
	"fmt"

	"github.com/mcpauthgen/mcpauthgen/annotations"
)

func ExampleParse() {
	text := `//mcp:tool name=update_record auth=scopes(write),check(ownsRecord) tags=write idempotent`
	l, errs := annotations.Parse(text, annotations.Pos{Filename: "records.go", Line: 12, Column: 1})
	if err := errs.Err(); err != nil {
		fmt.Println(err)
		return
	}
	switch l := l.(type) {
	case *annotations.Directive:
		fmt.Println(l.Kind, l.Name.Text, "idempotent:", l.Idempotent.Set)
		for _, t := range l.Auth.Terms {
			switch t.Kind {
			case annotations.TermScopes:
				fmt.Println("scopes", t.Scopes[0].Text, "at", t.Scopes[0].Pos)
			case annotations.TermCheck:
				fmt.Println("check", t.Expr.Text, "at", t.Expr.Pos)
			}
		}
	case *annotations.Scopes:
		fmt.Println("vocabulary of", len(l.Words))
	}
	// Output:
	// tool update_record idempotent: true
	// scopes write at records.go:12:43
	// check ownsRecord at records.go:12:56
}

func ExampleParse_errors() {
	text := `//mcp:resource nmae=profile readonly auth=scopes(read),role(admin)`
	_, errs := annotations.Parse(text, annotations.Pos{Filename: "users.go", Line: 30, Column: 1})
	for _, e := range errs {
		fmt.Println(e)
	}
	// Output:
	// users.go:30:1: resource needs uri=
	// users.go:30:16: unknown key "nmae"; did you mean "name"?
	// users.go:30:29: "readonly" is not valid on a resource
	// users.go:30:56: unknown auth term "role(admin)"; did you mean roles(...)?
}

func ExampleSnakeCase() {
	for _, name := range []string{"DeleteAllData", "APITool", "GetHTTPStatus", "Base64Encode"} {
		fmt.Println(annotations.SnakeCase(name))
	}
	// Output:
	// delete_all_data
	// api_tool
	// get_http_status
	// base64_encode
}

func ExampleSuggest() {
	vocabulary := []string{"read", "write", "admin"}
	fmt.Printf("%q\n", annotations.Suggest("wirte", vocabulary))
	fmt.Printf("%q\n", annotations.Suggest("delete", vocabulary))
	// Output:
	// "write"
	// ""
}
