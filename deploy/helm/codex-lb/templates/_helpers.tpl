{{- define "codex-lb.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "codex-lb.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "codex-lb.selectorLabels" -}}
app.kubernetes.io/name: {{ include "codex-lb.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "codex-lb.labels" -}}
{{ include "codex-lb.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* SQLite allows one writer on one volume: a single replica whatever replicaCount says. */}}
{{- define "codex-lb.replicas" -}}
{{- if eq .Values.database.mode "sqlite" -}}1{{- else -}}{{ .Values.replicaCount }}{{- end -}}
{{- end -}}

{{- define "codex-lb.keySecretName" -}}
{{- .Values.encryptionKey.existingSecret | default (include "codex-lb.fullname" .) -}}
{{- end -}}

{{- define "codex-lb.databaseSecretName" -}}
{{- .Values.database.postgres.existingSecret | default (include "codex-lb.fullname" .) -}}
{{- end -}}
