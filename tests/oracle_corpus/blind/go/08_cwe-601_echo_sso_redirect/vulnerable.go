package main

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

func ssoComplete(c echo.Context) error {
	next := c.QueryParam("next")
	if next == "" {
		next = "/dashboard"
	}
	return c.Redirect(http.StatusFound, next)
}

func main() {
	e := echo.New()
	e.GET("/sso/complete", ssoComplete)
	e.Logger.Fatal(e.Start(":8080"))
}
