package gosdk

// DecodeCursor returns what a list cursor names, or "!" when it does not
// decode.
func DecodeCursor(cursor string) string {
	if cursor == "" {
		return ""
	}
	key, err := decodeCursor(cursor)
	if err != nil {
		return "!"
	}
	return key
}
