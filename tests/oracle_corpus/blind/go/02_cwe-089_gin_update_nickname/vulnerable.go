package main

import (
	"database/sql"
	"net/http"

	"github.com/gin-gonic/gin"
)

type nicknameRequest struct {
	Nickname string `json:"nickname" binding:"required"`
}

func updateNickname(db *sql.DB) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req nicknameRequest
		if err := c.ShouldBindJSON(&req); err != nil {
			c.JSON(http.StatusBadRequest, gin.H{"error": "invalid body"})
			return
		}
		id := c.Param("id")
		_, err := db.Exec("UPDATE users SET nickname = '" + req.Nickname + "' WHERE id = " + id)
		if err != nil {
			c.JSON(http.StatusInternalServerError, gin.H{"error": "update failed"})
			return
		}
		c.JSON(http.StatusOK, gin.H{"status": "ok"})
	}
}
