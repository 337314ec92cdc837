package main

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"
)

var allowedHosts = map[string]bool{
	"app.example.com":     true,
	"billing.example.com": true,
}

func ssoComplete(c echo.Context) error {
	next := c.QueryParam("next")
	u, err := url.Parse(next)
	if next == "" || err != nil || u.Scheme != "https" || !allowedHosts[u.Hostname()] {
		next = "/dashboard"
	}
	return c.Redirect(http.StatusFound, next)
}

func main() {
	e := echo.New()
	e.GET("/sso/complete", ssoComplete)
	e.Logger.Fatal(e.Start(":8080"))
}
