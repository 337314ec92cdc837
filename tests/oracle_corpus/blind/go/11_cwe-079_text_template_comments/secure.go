package main

import (
	"html/template"
	"net/http"
)

type Comment struct {
	Author string
	Body   string
}

var commentsTmpl = template.Must(template.New("comments").Parse(`<!doctype html>
<html><body>
<h2>Comments</h2>
<ul>
{{range .}}<li><b>{{.Author}}</b>: {{.Body}}</li>
{{end}}</ul>
</body></html>`))

func loadComments(postID string) []Comment {
	return []Comment{{Author: "ann", Body: "Nice post on " + postID}}
}

func commentsHandler(w http.ResponseWriter, r *http.Request) {
	comments := loadComments(r.URL.Query().Get("post"))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := commentsTmpl.Execute(w, comments); err != nil {
		http.Error(w, "render error", http.StatusInternalServerError)
	}
}
