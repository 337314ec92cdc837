package notify

import (
	"fmt"
	"net/smtp"
)

const smtpHost = "smtp.example.com"
const smtpUser = "alerts@example.com"
const smtpPass = "Summer2024!alerts"

func SendNotification(to, subject, body string) error {
	auth := smtp.PlainAuth("", smtpUser, smtpPass, smtpHost)
	msg := fmt.Sprintf("From: %s\r\nTo: %s\r\nSubject: %s\r\n\r\n%s\r\n", smtpUser, to, subject, body)
	return smtp.SendMail(smtpHost+":587", auth, smtpUser, []string{to}, []byte(msg))
}
