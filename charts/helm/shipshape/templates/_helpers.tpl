{{/* The chart name, at most 63 characters. */}}
{{- define "shipshape.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name: RELEASE-shipshape, or RELEASE when it already contains the chart name. */}}
{{- define "shipshape.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "shipshape.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "shipshape.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Labels that select the controller's pods. */}}
{{- define "shipshape.selectorLabels" -}}
app.kubernetes.io/name: {{ include "shipshape.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The service account's name. */}}
{{- define "shipshape.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "shipshape.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The port the controller listens on, from config.listen (HOST:PORT). */}}
{{- define "shipshape.listenPort" -}}
{{- $parts := splitList ":" (.Values.config.listen | toString) }}
{{- last $parts }}
{{- end }}
