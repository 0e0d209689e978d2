package checker

// ComplaintFor finds the one complaint whose rules define every answer in
// ids, for a link made before the checker knew more than one complaint
// (/symptoms/results?symptom=...). "none" and the site-wide red flags are
// asked with every complaint, so they point to none in particular: a link
// with only those, or with no answer at all, belongs to a complaint only
// when the site has one. ok is false when no complaint defines them all
// (an unknown id, or answers split across complaints) or when several do.
func ComplaintFor(complaints []*Complaint, ids []string) (c *Complaint, ok bool) {
	var found *Complaint
	for _, candidate := range complaints {
		if !definesAll(candidate, ids) {
			continue
		}
		if found != nil {
			return nil, false
		}
		found = candidate
	}
	return found, found != nil
}

func definesAll(c *Complaint, ids []string) bool {
	for _, id := range ids {
		if !c.Known(id) {
			return false
		}
	}
	return true
}
