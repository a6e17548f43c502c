package errors

import (
	"context"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// Call checks that cannot be bound to their handler's arguments, one per
// kind of mismatch.

type NoteInput struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

type OtherInput struct {
	ID string `json:"id"`
}

func ownsInput(ac runtime.AuthContext, in NoteInput) bool                { return true }
func ownsOther(ac runtime.AuthContext, in *OtherInput) bool              { return true }
func ownsTwo(ac runtime.AuthContext, in NoteInput, extra string) bool    { return true }
func ownsID(ac runtime.AuthContext, id string) bool                      { return true }
func ownsIntID(ctx context.Context, ac runtime.AuthContext, id int) bool { return true }
func ownsNID(ac runtime.AuthContext, nid string) (bool, error)           { return true, nil }
func ownsMany(ac runtime.AuthContext, id, text, more string) bool        { return true }
func ownsUnnamed(runtime.AuthContext, string) bool                       { return true }
func ownsTopic(ac runtime.AuthContext, topic string) bool                { return true }

// CallWrongType takes id as an int; the handler's id is a string.
//
//mcp:tool auth=check(ownsIntID)
func CallWrongType(id string) (string, error) { return "", nil }

// CallUnknownName takes nid, which the handler does not have.
//
//mcp:tool auth=check(ownsNID)
func CallUnknownName(id string) (string, error) { return "", nil }

// CallTooMany takes three parameters; the handler has two.
//
//mcp:tool auth=check(ownsMany)
func CallTooMany(id, text string) (string, error) { return "", nil }

// CallOtherInput takes the input of another tool.
//
//mcp:tool auth=check(ownsOther)
func CallOtherInput(in NoteInput) (string, error) { return "", nil }

// CallInputAndMore takes the input and one more parameter.
//
//mcp:tool auth=check(ownsTwo)
func CallInputAndMore(in *NoteInput) (string, error) { return "", nil }

// CallInputOfNamed takes an input struct; the handler has named parameters.
//
//mcp:tool auth=check(ownsInput)
func CallInputOfNamed(id, text string) (string, error) { return "", nil }

// CallNoArguments is a call check on a tool without arguments.
//
//mcp:tool auth=check(ownsID)
func CallNoArguments(ctx context.Context) (string, error) { return "", nil }

// CallStatic is a call check on a static resource.
//
//mcp:resource uri=static://note auth=check(ownsID)
func CallStatic() (string, error) { return "", nil }

// CallUnnamed has parameters without names.
//
//mcp:resource uri=notes://{id} auth=check(ownsUnnamed)
func CallUnnamed(id string) (string, error) { return "", nil }

// CallOptionalTopic takes an optional topic; the check wants a string.
//
//mcp:prompt auth=check(ownsTopic)
func CallOptionalTopic(topic *string) (string, error) { return "", nil }
