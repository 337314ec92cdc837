package notify

import (
	"errors"
	"fmt"
	"net/smtp"
	"os"
)

const smtpHost = "smtp.example.com"

func SendNotification(to, subject, body string) error {
	smtpUser := os.Getenv("SMTP_USER")
	smtpPass := os.Getenv("SMTP_PASSWORD")
	if smtpUser == "" || smtpPass == "" {
		return errors.New("SMTP_USER and SMTP_PASSWORD must be set")
	}
	auth := smtp.PlainAuth("", smtpUser, smtpPass, smtpHost)
	msg := fmt.Sprintf("From: %s\r\nTo: %s\r\nSubject: %s\r\n\r\n%s\r\n", smtpUser, to, subject, body)
	return smtp.SendMail(smtpHost+":587", auth, smtpUser, []string{to}, []byte(msg))
}
