package desk

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"

	"healthsite/internal/desk/auth"
	"healthsite/internal/desk/password"
	deskweb "healthsite/web/desk"
)

// accounts lists the accounts with the form to add one (admins only).
func (d *Desk) accounts(w http.ResponseWriter, r *http.Request, who *visitor) error {
	v, err := d.accountsView(r, who, deskweb.AddAccountForm{Role: string(auth.Editor)})
	if err != nil {
		return err
	}
	switch r.URL.Query().Get("done") {
	case "disabled":
		v.Notice = "The account is disabled, and its sessions ended."
	}
	return d.render(w, r, http.StatusOK, deskweb.AccountsPage(d.head(who, "Accounts", "accounts"), v))
}

func (d *Desk) accountsView(r *http.Request, who *visitor, add deskweb.AddAccountForm) (deskweb.AccountsView, error) {
	list, err := d.auth.Accounts(r.Context())
	if err != nil {
		return deskweb.AccountsView{}, err
	}
	var v deskweb.AccountsView
	for _, a := range list {
		state := "Active"
		if a.Disabled {
			state = "Disabled"
		}
		id := strconv.FormatInt(a.ID, 10)
		v.Accounts = append(v.Accounts, deskweb.AccountRow{
			Email: a.Email, Role: string(a.Role), State: state, Created: day(a.Created.UTC()),
			Disabled: a.Disabled, Self: a.ID == who.account.ID,
			DisableURL: "/desk/accounts/" + id + "/disable", ResetURL: "/desk/accounts/" + id + "/reset-password",
		})
	}
	for _, role := range []auth.Role{auth.Editor, auth.Admin} {
		label := "Editor: reads and acts on feedback"
		if role == auth.Admin {
			label = "Admin: also manages accounts and reads the audit log"
		}
		add.Roles = append(add.Roles, deskweb.Option{Value: string(role), Label: label, Selected: add.Role == string(role)})
	}
	v.Add = add
	return v, nil
}

// addAccount makes an account with a password the desk generates and
// shows once.
func (d *Desk) addAccount(w http.ResponseWriter, r *http.Request, who *visitor) error {
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	form := deskweb.AddAccountForm{Email: r.PostForm.Get("email"), Role: r.PostForm.Get("role")}
	email, err := auth.NormalizeEmail(form.Email)
	if err != nil {
		form.Errors = append(form.Errors, deskweb.FieldError{Field: "new-email", Message: "Enter an e-mail address, like name@example.org"})
	}
	role, rerr := auth.ParseRole(form.Role)
	if rerr != nil {
		form.Errors = append(form.Errors, deskweb.FieldError{Field: "new-role", Message: "Choose a role from the list"})
		form.Role = string(auth.Editor)
	}
	var pw string
	if len(form.Errors) == 0 {
		pw = password.Generate(email)
		_, err = d.auth.AddAccount(r.Context(), email, role, pw, auth.ActorOf(*who.account, who.client))
		switch {
		case errors.Is(err, auth.ErrAccountExists):
			form.Errors = append(form.Errors, deskweb.FieldError{Field: "new-email", Message: "An account with that e-mail address already exists"})
		case err != nil:
			return err
		}
	}
	if len(form.Errors) > 0 {
		v, err := d.accountsView(r, who, form)
		if err != nil {
			return err
		}
		h := d.head(who, "Accounts", "accounts")
		h.ErrorPrefix = true
		return d.render(w, r, http.StatusUnprocessableEntity, deskweb.AccountsPage(h, v))
	}
	return d.render(w, r, http.StatusOK, deskweb.PasswordPage(d.head(who, "Account added", "accounts"),
		deskweb.PasswordView{Email: email, Password: pw, Added: true}))
}

// accountOf is the account the address's {id} names: 404 for none.
func (d *Desk) accountOf(r *http.Request) (auth.Account, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id < 1 {
		return auth.Account{}, errNotFound
	}
	a, err := d.auth.AccountByID(r.Context(), id)
	if errors.Is(err, auth.ErrNoAccount) {
		return a, errNotFound
	}
	return a, err
}

// disableAccount stops an account signing in and ends its sessions. An
// admin cannot disable their own account, so there is always one left.
func (d *Desk) disableAccount(w http.ResponseWriter, r *http.Request, who *visitor) error {
	a, err := d.accountOf(r)
	if err != nil {
		return err
	}
	if a.ID == who.account.ID {
		return &statusError{status: http.StatusUnprocessableEntity, message: "You cannot disable your own account: ask another admin."}
	}
	if err := d.auth.Disable(r.Context(), a.ID, auth.ActorOf(*who.account, who.client)); err != nil {
		return err
	}
	return see(w, r, "/desk/accounts"+encodeQuery(url.Values{"done": {"disabled"}}))
}

// resetPassword gives an account a new password, generated and shown
// once, and ends its sessions.
func (d *Desk) resetPassword(w http.ResponseWriter, r *http.Request, who *visitor) error {
	a, err := d.accountOf(r)
	if err != nil {
		return err
	}
	pw := password.Generate(a.Email)
	if err := d.auth.SetPassword(r.Context(), a.ID, pw, auth.ActorOf(*who.account, who.client)); err != nil {
		return err
	}
	if a.ID == who.account.ID {
		// Their own sessions ended with it, this one too.
		http.SetCookie(w, d.cookie.clear())
	}
	return d.render(w, r, http.StatusOK, deskweb.PasswordPage(d.head(who, "New password", "accounts"),
		deskweb.PasswordView{Email: a.Email, Password: pw}))
}
