{{- define "s3-provider.name" -}}{{ .Release.Name }}{{- end -}}
{{- define "s3-provider.labels" -}}
app.kubernetes.io/name: s3-provider
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}
{{- define "s3-provider.selector" -}}
app.kubernetes.io/name: s3-provider
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
