package main

import (
	"html/template"
	"net/http"
	"sync"
)

type Comment struct {
	Author string
	Body   string
}

var (
	mu       sync.Mutex
	comments []Comment
	page     = template.Must(template.New("comments").Parse(
		`<html><body><ul>{{range .}}<li><b>{{.Author}}</b>: {{.Body}}</li>{{end}}</ul></body></html>`))
)

func commentsHandler(w http.ResponseWriter, r *http.Request) {
	mu.Lock()
	defer mu.Unlock()
	if r.Method == http.MethodPost {
		comments = append(comments, Comment{Author: r.FormValue("author"), Body: r.FormValue("body")})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	page.Execute(w, comments)
}

func main() {
	http.HandleFunc("/comments", commentsHandler)
	http.ListenAndServe(":8080", nil)
}
