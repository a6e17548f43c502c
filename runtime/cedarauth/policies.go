package cedarauth

import (
	"fmt"

	"github.com/cedar-policy/cedar-go"
)

// ParsePolicies parses a Cedar policy document. A policy's id is the value
// of its @id("…") annotation, or policyN for the N-th policy of the
// document (counting from 0) when it has none; these are the ids decisions
// report. filename appears in the positions of errors. Two policies with
// one id are an error.
func ParsePolicies(filename string, src []byte) (*cedar.PolicySet, error) {
	list, err := cedar.NewPolicyListFromBytes(filename, src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filename, err)
	}
	set := cedar.NewPolicySet()
	for i, p := range list {
		id := PolicyID(i, p)
		if !set.Add(id, p) {
			pos := p.Position()
			return nil, fmt.Errorf("%s:%d:%d: policy id %q is used twice", filename, pos.Line, pos.Column, id)
		}
	}
	return set, nil
}

// PolicyID is the id ParsePolicies gives the i-th policy p of a document:
// its @id annotation, else policyI.
func PolicyID(i int, p *cedar.Policy) cedar.PolicyID {
	if id, ok := p.Annotations()["id"]; ok && id != "" {
		return cedar.PolicyID(id)
	}
	return cedar.PolicyID(fmt.Sprintf("policy%d", i))
}
