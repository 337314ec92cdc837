package directory

import (
	"fmt"

	"github.com/go-ldap/ldap/v3"
)

type Entry struct {
	DN   string
	Mail string
}

func FindUser(conn *ldap.Conn, baseDN, login string) (*Entry, error) {
	filter := fmt.Sprintf("(&(objectClass=person)(uid=%s))", login)
	req := ldap.NewSearchRequest(
		baseDN,
		ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 2, 10, false,
		filter,
		[]string{"dn", "mail"},
		nil,
	)
	res, err := conn.Search(req)
	if err != nil {
		return nil, err
	}
	if len(res.Entries) != 1 {
		return nil, fmt.Errorf("expected one entry for %q, got %d", login, len(res.Entries))
	}
	e := res.Entries[0]
	return &Entry{DN: e.DN, Mail: e.GetAttributeValue("mail")}, nil
}
