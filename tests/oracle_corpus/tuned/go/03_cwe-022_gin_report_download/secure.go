package main

import (
	"net/http"
	"os"
	"path/filepath"

	"github.com/gin-gonic/gin"
)

const reportDir = "/var/lib/reports"

func downloadReport(c *gin.Context) {
	name := c.Query("file")
	if !filepath.IsLocal(name) {
		c.AbortWithStatus(http.StatusBadRequest)
		return
	}
	path := filepath.Join(reportDir, name)
	data, err := os.ReadFile(path)
	if err != nil {
		c.AbortWithStatus(http.StatusNotFound)
		return
	}
	c.Data(http.StatusOK, "text/csv", data)
}

func main() {
	r := gin.Default()
	r.GET("/reports", downloadReport)
	r.Run(":8080")
}
