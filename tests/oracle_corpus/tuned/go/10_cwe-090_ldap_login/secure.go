package auth

import (
	"errors"
	"fmt"

	"github.com/go-ldap/ldap/v3"
)

func Authenticate(conn *ldap.Conn, username, password string) error {
	filter := fmt.Sprintf("(&(objectClass=person)(uid=%s))", ldap.EscapeFilter(username))
	req := ldap.NewSearchRequest("ou=people,dc=example,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases,
		2, 10, false, filter, []string{"dn"}, nil)
	res, err := conn.Search(req)
	if err != nil {
		return err
	}
	if len(res.Entries) != 1 {
		return errors.New("user not found")
	}
	return conn.Bind(res.Entries[0].DN, password)
}
