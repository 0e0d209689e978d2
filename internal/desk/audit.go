package desk

import (
	"net/http"
	"strconv"

	deskweb "healthsite/web/desk"
)

// auditPerPage is how many entries a page of the audit log shows.
const auditPerPage = 100

// audit is the audit log, newest first (?before=ID for older entries).
func (d *Desk) audit(w http.ResponseWriter, r *http.Request, who *visitor) error {
	var before int64
	if s := r.URL.Query().Get("before"); s != "" {
		var err error
		if before, err = strconv.ParseInt(s, 10, 64); err != nil || before < 1 {
			return badRequest("The link to older entries is broken: start again from the newest.")
		}
	}
	entries, more, err := d.auth.Audit(r.Context(), before, auditPerPage)
	if err != nil {
		return err
	}
	var v deskweb.AuditView
	for _, e := range entries {
		v.Entries = append(v.Entries, deskweb.AuditRow{
			When: e.At.UTC().Format("2006-01-02 15:04:05"), Who: e.Actor, Action: e.Action, Detail: e.Detail, Client: e.Client,
		})
	}
	if more {
		v.Next = "/desk/audit?before=" + strconv.FormatInt(entries[len(entries)-1].ID, 10)
	}
	if before > 0 {
		v.First = "/desk/audit"
	}
	return d.render(w, r, http.StatusOK, deskweb.AuditPage(d.head(who, "Audit log", "audit"), v))
}
