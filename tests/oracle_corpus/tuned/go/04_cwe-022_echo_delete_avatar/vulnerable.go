package main

import (
	"net/http"
	"os"
	"path/filepath"

	"github.com/labstack/echo/v4"
)

func deleteAvatar(c echo.Context) error {
	user := c.Get("user").(string)
	name := c.QueryParam("name")
	if err := os.Remove(filepath.Join("/var/lib/app/avatars", user, name)); err != nil {
		return echo.NewHTTPError(http.StatusNotFound, "no such avatar")
	}
	return c.NoContent(http.StatusNoContent)
}

func main() {
	e := echo.New()
	e.DELETE("/avatars", deleteAvatar)
	e.Logger.Fatal(e.Start(":8080"))
}
